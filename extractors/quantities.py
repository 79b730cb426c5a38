"""Numeric time / quantity expressions in normalised Japanese text.

Small pattern tables plus one parse function per kind of expression, in the
style of ja-timex (but written from scratch, no date library):

* :func:`find_quantities`   - ``72 時間以内``, ``最低1年間``, ``3~5営業日``, ``99.9%以上``
* :func:`find_frequencies`  - ``日次``, ``年に2回``, ``5分毎``, ``3日に1回``
* :func:`find_clocks`       - ``午後6時``, ``9:00-17:30``, ``18時以降``, ``24時間365日``
* :func:`find_days_of_week` - ``月~金``, ``平日``, ``土日祝``, ``年中無休``

Input must already be normalised (NFKC, every wave dash turned into ASCII
``~``; see ``pipeline/normalize.py``).  Every offset returned is a character
offset into the string passed in; ``text`` fields are ``text[start:end]``.

Choices callers need to know
----------------------------
* Round-the-clock phrases (``24時間365日``, ``24時間/365日``, ``365日24時間``,
  ``1日24時間``, ``24時間体制``/``対応``/``監視``..., ``24/7``) are *service hours*,
  not durations: :func:`find_quantities` returns nothing for them (neither the
  ``24時間`` nor the ``365日`` part).  :func:`find_clocks` reports them as
  ``00:00-24:00`` and :func:`find_days_of_week` reports their ``365日`` /
  ``24/7`` part as ``Mon-Sun``.  ``24時間以内`` etc. stay durations.
  A bare ``24時間`` / ``365日`` is reported by *both* find_quantities (as a
  duration) and find_clocks / find_days_of_week when it is the whole text (a
  table cell) or follows a service-hours label (``受付時間: 24時間``); in other
  prose (``RPO 24時間``) it is only a duration.
* ``即日`` is ``Quantity(1.0, 'day', bound='max')``.
* Adjacent compound durations are merged into the smaller unit:
  ``1時間30分`` -> 90 minute, ``1年6ヶ月`` -> 18 month; ``半`` adds half a unit
  (``1時間半`` -> 1.5 hour).  ``1日8時間`` stays two quantities (8 hours a day).
* Numbers inside frequency phrases are still quantities (``5分毎`` gives
  ``(5, minute)``; ``1日1回`` gives ``(1, day)``); subtract the spans of
  :func:`find_frequencies` if you only want durations.
* Frequencies: ``N単位ごと/毎/おき/間隔`` sets only ``interval`` (also for N=1:
  ``1時間ごと`` -> interval ``(1.0, 'hour')``, frequency ``None``);
  ``[1]単位(に)M回`` sets ``frequency`` + ``count``; ``N単位にM回`` with N > 1
  sets ``interval`` + ``count``.  ``count`` is only set when a number of times
  is written (``毎日`` has ``count=None``).  ``毎時`` is ``'hourly'``.
* Clock windows: an end of ``0:00``/``深夜0時`` after a later start is written
  ``24:00``; ``午前12時`` is ``12:00`` when it ends a window that started in
  the morning, ``00:00`` otherwise; a bare end hour after a ``午後`` start
  inherits the ``午後`` (``午後1時~5時`` -> ``13:00-17:00``).  Open windows
  (``18時以降``, ``18:00~``) keep the trailing dash and set ``open_end``.
* Days of week: consecutive day sets are written as a range (``土・日`` ->
  ``Sat-Sun``), others as a list in Mon..Sun order (``Mon,Wed,Fri``).
  ``holidays`` is set when 祝日 is part of the phrase (``土日祝``), ``excluded``
  when the phrase says those days are excluded (``土日祝日を除く``).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

__all__ = [
    "UNITS", "BOUNDS", "FREQUENCIES",
    "Quantity", "Frequency", "Clock", "DaysOfWeek",
    "parse_number", "find_quantities", "find_frequencies", "find_clocks",
    "find_days_of_week", "iso_duration", "to_days", "to_hours",
]

UNITS = ('minute', 'hour', 'day', 'business_day', 'week', 'month', 'year',
         'generation', 'percent')
BOUNDS = ('exact', 'min', 'max', 'approx')
FREQUENCIES = ('hourly', 'daily', 'weekly', 'monthly', 'yearly')

# --------------------------------------------------------------------------
# Pattern tables
# --------------------------------------------------------------------------

_SP = r'[ ]{0,3}'                     # spaces allowed between tokens (no tab: it ends a table cell; no newline)

KANJI_DIGITS = {'〇': 0, '零': 0, '一': 1, '二': 2, '三': 3, '四': 4, '五': 5,
                '六': 6, '七': 7, '八': 8, '九': 9}
KANJI_SMALL_UNITS = {'十': 10, '百': 100, '千': 1000}
KANJI_BIG_UNITS = {'万': 10_000, '億': 100_000_000}
_KANJI_NUM_CHARS = '〇零一二三四五六七八九十百千万'

# A number as written in text: ASCII (1,000 / 3.5 / 1万) or kanji (七十二).
# An ASCII number may not be part of a dotted/colon/slash sequence
# (12.3.1, 27017:2015, 2024/12/01).
_NUM = (r'(?:[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?(?![0-9]|[.,:/][0-9])(?:' + _SP + r'万)?'
        r'|(?!〇(?![' + _KANJI_NUM_CHARS + r']))[' + _KANJI_NUM_CHARS + r']+)')   # a lone 〇 is a check mark
_NUM_START = r'(?<![0-9.' + _KANJI_NUM_CHARS + r'])(?<![0-9][,:/])'
NUMBER_RE = re.compile(_NUM_START + _NUM)

# Unit words after a number, longest first.  The group name is the unit.
UNIT_PATTERNS = (
    ('business_day', r'(?:営業|稼働|業務)日(?:間)?'),
    ('hour', r'時間'),
    ('minute', r'分(?:間)?'),
    ('day', r'日(?:間)?'),
    ('week', r'週(?:間)?'),
    ('month', r'[ヶかカヵ箇ケ个]月(?:間)?|月間'),
    ('year', r'年(?:間)?'),
    ('generation', r'世代'),
    ('percent', r'%|パーセント'),
)
UNIT_RE = re.compile('|'.join(f'(?P<{u}>{p})' for u, p in UNIT_PATTERNS))

# Bound modifiers written before the number (checked right-to-left).
PREFIX_BOUNDS = (
    ('min', ('最低でも', '最低限', '少なくとも', '最低', '最短')),
    ('max', ('最大で', '最大', '最長で', '最長', '長くとも', '~')),
    ('approx', ('おおよそ', 'およそ', 'おおむね', '概ね', '大体', '約',
                '目安として', '目安は')),
)
# Bound modifiers written after the unit.
SUFFIX_BOUNDS = (
    ('max', ('を超えない', 'を越えない', 'を超えず', 'を越えず', '以内', '内(?=に|で)',
             'まで', '以下', '未満', 'を上限')),
    ('min', ('を超える', 'を越える', 'を超えて', 'を越えて', '超え', '超', '以上',
             'を下回らない')),
    ('approx', ('程度', '前後', 'ほど', 'くらい', 'ぐらい', 'を目安', '目安', '弱', '強')),
)
PREFIX_BOUND_RE = re.compile(
    '(?:' + '|'.join(f'(?P<{b}>' + '|'.join(map(re.escape, words)) + ')'
                     for b, words in PREFIX_BOUNDS) + ')' + _SP + r'\Z')
SUFFIX_BOUND_RE = re.compile(
    _SP + '(?:' + '|'.join(f'(?P<{b}>' + '|'.join(words) + ')'
                           for b, words in SUFFIX_BOUNDS) + ')')

RANGE_SEP_RE = re.compile(_SP + r'(?:~|から|-|–|—)' + _SP)

# Compound durations: (big unit, small unit) -> small units per big unit.
# (day+hour is left out on purpose: 1日8時間 means 8 hours a day.)
COMPOUNDS = {'year': ('month', 12), 'hour': ('minute', 60)}
# 1時間半, 1年半, 2か月半: half a unit more (but not 半期, 半年, 半日 ...).
HALF_AFTER_UNIT_RE = re.compile(r'半(?![期年日分数月額ば端])')

# Rejections ---------------------------------------------------------------
# Text right before the number that makes it an ordinal / era year.
REJECT_BEFORE_RE = re.compile(r'(?:第|令和|平成|昭和|大正|明治|西暦)' + _SP + r'\Z')
# A kanji-only number right after an ideograph is part of a word (統一, 同一,
# 不十分, 数十) unless that ideograph is one of these modifiers' last chars.
KANJI_NUMBER_OK_AFTER = set('約低大長短去近毎各計後')
# After any unit: ordinals (3日目, 2年目).
REJECT_AFTER_ANY_RE = re.compile(r'目')
# After specific unit words.
REJECT_AFTER_UNIT = {
    '分': re.compile(r'の|[割類離析散布岐解担野子母配別冊身家量]'),   # 3分の1, 3分割
    '年': re.compile(r'度|生|代|次|号|版|' + _SP + r'(?:[0-9]{1,2}|[〇一二三四五六七八九十]{1,3})'
                    + _SP + r'月(?!間)'),                            # 年度, 2021年10月
    '時間': re.compile(r'帯'),
    '日': re.compile(r'も早'),                                         # 一日も早く
}
# The day of a date: 10月7日, 翌月の20日 (but 3ヶ月5日 is a duration).
DATE_DAY_BEFORE_RE = re.compile(r'(?<![ヶかカヵ箇ケ个])月' + _SP + r'の?' + _SP + r'\Z')
# 十分 is "enough" unless clearly a duration.
TEN_MINUTES_OK_RE = re.compile(
    _SP + r'(?:以内|以上|以下|未満|毎|ごと|おき|置き|間隔|程度|ほど|前後|後|前|まで|経過|を超)')

# Round-the-clock service phrases (shared by all finders).
_SEP24 = _SP + r'[/・×xX、,]?' + _SP
SERVICE_WORDS = (r'体制|対応|監視|稼働|受付|有人|運用|営業|サポート|年中無休|無休|いつでも'
                 r'|利用可能|常時|オンコール|連絡可能')
_H24 = r'(?<![0-9.])(?:24|二十四)' + _SP + r'時間'
_D365 = r'(?<![0-9.])(?:365|三百六十五)' + _SP + r'日'
ROUND_THE_CLOCK_RE = re.compile(
    rf'{_H24}{_SEP24}{_D365}(?!間)'
    rf'|{_D365}{_SEP24}(?:24|二十四){_SP}時間'
    rf'|(?<![0-9])(?:1|一){_SP}日{_SP}{_H24}'
    rf'|{_H24}(?={_SP}(?:{SERVICE_WORDS}))'
    rf'|(?<![0-9.])24{_SP}[/x×]{_SP}(?:7|365)(?![0-9])')
SERVICE_365_RE = re.compile(
    rf'(?<=24時間){_SEP24}{_D365}|(?<=24 時間){_SEP24}{_D365}|(?<=二十四時間){_SEP24}{_D365}'
    rf'|{_D365}(?={_SEP24}(?:24|二十四){_SP}時間)|{_D365}(?={_SP}(?:{SERVICE_WORDS}))'
    rf'|(?<![0-9.])24{_SP}[/x×]{_SP}(?:7|365)(?![0-9])')

# A bare 24時間 / 365日 that is the whole text, or comes right after a
# service-hours label and closes the phrase (``受付時間: 24時間``), is also
# reported as a clock / day set (find_quantities still reports a duration).
_SERVICE_LABEL = r'(?:時間|時間帯|窓口|受付|対応|サポート|営業|営業日|稼働日|提供日)'
_PHRASE_END = _SP + r'(?:\Z|[。、,)\]」\n])'
SERVICE_LABEL_BEFORE_RE = re.compile(rf'{_SERVICE_LABEL}{_SP}(?:[:は]{_SP})?\Z')
BARE_24H_RE = re.compile(rf'{_H24}(?={_PHRASE_END})')
BARE_365_RE = re.compile(rf'{_D365}(?={_PHRASE_END})')

SAME_DAY_RE = re.compile(r'即日|当日中|当日内')

# Frequencies --------------------------------------------------------------
EVERY_WORDS = (   # longest first
    ('毎時間', 'hourly'), ('毎時', 'hourly'),
    ('毎営業日', 'daily'), ('毎日', 'daily'), ('日次', 'daily'), ('日々', 'daily'),
    ('毎晩', 'daily'), ('毎夜', 'daily'), ('毎朝', 'daily'), ('毎夕', 'daily'),
    ('デイリー', 'daily'),
    ('毎週', 'weekly'), ('週次', 'weekly'), ('ウィークリー', 'weekly'), ('ウイークリー', 'weekly'),
    ('毎月', 'monthly'), ('月次', 'monthly'), ('月例', 'monthly'), ('マンスリー', 'monthly'),
    ('毎年度', 'yearly'), ('毎年', 'yearly'), ('年次', 'yearly'), ('アニュアル', 'yearly'),
)
# 毎週月曜 / 毎月曜日 is weekly (and must not read as 毎月 / 毎日).
EVERY_WEEKDAY = r'毎週?[月火水木金土日]曜日?'
EVERY_RE = re.compile(EVERY_WEEKDAY + '|' + '|'.join(re.escape(w) for w, _ in EVERY_WORDS))
EVERY_MAP = dict(EVERY_WORDS)
INTERVAL_WORDS = (
    ('隔日', (2.0, 'day')), ('隔週', (2.0, 'week')), ('隔月', (2.0, 'month')),
    ('隔年', (2.0, 'year')),
    ('四半期ごと', (3.0, 'month')), ('四半期毎', (3.0, 'month')),
    ('半年ごと', (6.0, 'month')), ('半年毎', (6.0, 'month')),
    ('半期ごと', (6.0, 'month')), ('半期毎', (6.0, 'month')),
)
INTERVAL_WORD_RE = re.compile('|'.join(re.escape(w) for w, _ in INTERVAL_WORDS))
INTERVAL_MAP = dict(INTERVAL_WORDS)
INTERVAL_SUFFIX_RE = re.compile(
    _SP + r'(?:毎に?|ごとに?|おきに?|置きに?|間隔で?|周期で?|(?<=間)隔で?)')   # 5分間隔
EVERY_PREFIX_RE = re.compile(r'毎' + _SP + r'\Z')
# Period words of "N回 per period": word -> (unit, frequency name)
PERIODS = {
    '分': ('minute', None), '時間': ('hour', 'hourly'), '営業日': ('business_day', 'daily'),
    '日': ('day', 'daily'), '週': ('week', 'weekly'), '週間': ('week', 'weekly'),
    '月': ('month', 'monthly'), '年': ('year', 'yearly'), '年間': ('year', 'yearly'),
    '年度': ('year', 'yearly'),
}
_PERIOD = r'(?P<period>半年|四半期|時間|営業日|日|週間|週|[ヶかカヵ箇ケ个]月|月|年間|年度|年|分)'
COUNT_PER_PERIOD_RE = re.compile(
    rf'(?P<every>毎)?(?:(?P<pn>{_NUM_START}{_NUM}){_SP})?{_PERIOD}{_SP}'
    rf'(?:に|当たり|あたり|につき|で|の間に|間に)?{_SP}(?P<cnt>{_NUM}){_SP}回')
COUNT_SLASH_RE = re.compile(
    rf'{_NUM_START}(?P<cnt>{_NUM}){_SP}回{_SP}/{_SP}(?P<period>時間|日|週|月|年)')
# Bare period characters that are also parts of words (土日, 今月, 本日).
_BARE_PERIOD_NEEDS_BOUNDARY = {'日', '月'}

# Clocks -------------------------------------------------------------------
_AMPM = r'午前|午後|深夜|夕方|朝|夜(?!間)|(?<![A-Za-z])(?:AM|PM|am|pm)(?![A-Za-z])'
_PM_WORDS = {'午後', '夕方', 'PM', 'pm'}
_AM_WORDS = {'午前', 'AM', 'am'}
_KANJI_HOUR = r'[〇零一二三四五六七八九十]{1,3}'
# 時 followed by these is not o'clock (時間, 時点, 一時的, 時限 ...).
_NOT_OCLOCK = r'間|点|代|期|刻|限|的|差|効|価|給|速|計|制|短|々|折|系'
CLOCK_POINT_RE = re.compile(
    rf'(?:(?:翌日?|当日){_SP})?(?:(?P<ampm>{_AMPM}){_SP})?(?:'
    rf'(?<![0-9.:/])(?P<h1>[0-9]{{1,2}}):(?P<m1>[0-9]{{2}})(?::[0-9]{{2}})?(?![0-9]|:[0-9])'
    rf'|(?<![0-9.:/,])(?P<h2>[0-9]{{1,2}}|{_KANJI_HOUR}){_SP}時(?!{_NOT_OCLOCK})'
    rf'(?:{_SP}(?:(?P<m2>[0-9]{{1,2}}|{_KANJI_HOUR}){_SP}分(?!間)|(?P<half>半)))?'
    rf'|(?P<noon>正午))')
# "9~17時": a bare start hour borrowing 時 from the end of the window.
BARE_START_HOUR_RE = re.compile(
    rf'(?:(?P<ampm>{_AMPM}){_SP})?(?<![0-9.:/,])(?P<h>[0-9]{{1,2}})'
    rf'(?={_SP}(?:~|-|から){_SP}(?:{_AMPM})?{_SP}[0-9]{{1,2}}{_SP}時(?!{_NOT_OCLOCK}))')
WINDOW_SEP_RE = re.compile(_SP + r'(?:~|-|–|—|から|より|to)' + _SP + r'(?:翌日?|翌朝)?' + _SP)
UNTIL_RE = re.compile(_SP + r'まで')
OPEN_END_RE = re.compile(_SP + r'(?:以降|以後|~|から|より)')
WINDOW_LIST_SEP_RE = re.compile(_SP + r'(?:/|、|,|・|;|および|及び|と)?' + _SP)

# Days of week -------------------------------------------------------------
DAY_NAMES = ('Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun')
DAY_CHARS = {'月': 0, '火': 1, '水': 2, '木': 3, '金': 4, '土': 5, '日': 6}
_DAY = r'[月火水木金土日](?:曜日?)?'
DAY_RANGE_RE = re.compile(rf'(?P<a>{_DAY}){_SP}(?:~|-|–|—|から){_SP}(?P<b>{_DAY})(?:{_SP}まで)?')
DAY_LIST_RE = re.compile(rf'{_DAY}(?:{_SP}[・、,/]{_SP}{_DAY})+')
DAY_SINGLE_RE = re.compile(r'[月火水木金土日]曜日?')
DAY_TOKEN_RE = re.compile(_DAY)
DAY_WORDS = (   # fixed words -> day indices
    ('平日', (0, 1, 2, 3, 4)),
    ('土日', (5, 6)),
    ('年中無休', tuple(range(7))), ('無休', tuple(range(7))),
    ('週7日', tuple(range(7))), ('週七日', tuple(range(7))),
)
DAY_WORD_RE = re.compile('|'.join(re.escape(w) for w, _ in DAY_WORDS))
DAY_WORD_MAP = dict(DAY_WORDS)
EVERYDAY_BEFORE_CLOCK_RE = re.compile(
    rf'毎日(?={_SP}(?:[0-9]{{1,2}}:[0-9]{{2}}|午前|午後|深夜|[0-9]{{1,2}}{_SP}時(?!間)))')
HOLIDAY_SUFFIX_RE = re.compile(_SP + r'[・、,]?' + _SP + r'(?:祝祭日|祝日|祭日|祝)')
_OTHER_DAYS_OFF = r'年末年始|夏季休暇|夏季休業|お盆|当社休業日|弊社休業日|当社指定休日|指定休日|休業日'
EXCLUDED_SUFFIX_RE = re.compile(
    rf'(?:{_SP}(?:[、・,/]|および|及び){_SP}(?:{_OTHER_DAYS_OFF}))*'      # 土日祝日、年末年始を除く
    + _SP + r'(?:を|は)?' + _SP + r'(?:除く|除き|除いた|以外|休み|休業日?|定休日?)')
# 第3日曜日: an ordinal weekday of the month still names the day.
ORDINAL_BEFORE_DAY_RE = re.compile(r'第' + _SP + r'(?:[0-9]|[一二三四五])' + _SP + r'\Z')
# Characters that may not precede a bare day character (3月, 今月, 毎月, 年月日).
_NOT_BEFORE_BARE_DAY = set('0123456789' + _KANJI_NUM_CHARS + '・')
_OK_BEFORE_BARE_DAY = set('週')

# --------------------------------------------------------------------------
# Result types
# --------------------------------------------------------------------------


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


@dataclass(frozen=True)
class Clock:
    """``HH:MM``, ``HH:MM-HH:MM[,HH:MM-HH:MM]`` or open ``HH:MM-``."""
    clock: str
    start: int
    end: int
    text: str = ''
    open_end: bool = False


@dataclass(frozen=True)
class DaysOfWeek:
    """``Mon-Fri``, ``Sat-Sun``, ``Mon,Wed,Fri``, ``Mon``..."""
    days: str
    start: int
    end: int
    text: str = ''
    holidays: bool = False
    excluded: bool = False


# --------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------

_MAX_NUMBER_CHARS = 24          # longer digit runs are IDs, not quantities
_ASCII_NUMBER_RE = re.compile(r'[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?')
_NUMBER_TOKEN_RE = re.compile(r'[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?|.', re.S)


def parse_number(s: str) -> float | None:
    """Value of an ASCII, kanji or mixed numeral, or ``None``.

    ``'72'`` -> 72.0, ``'1,000'`` -> 1000.0, ``'3.5'`` -> 3.5, ``'七十二'`` -> 72.0,
    ``'二〇二一'`` -> 2021.0, ``'一万'``/``'1万'`` -> 10000.0, ``'〇'`` -> 0.0.
    """
    if not isinstance(s, str):
        return None
    s = s.strip().replace(' ', '').replace('\t', '')
    if not s or len(s) > _MAX_NUMBER_CHARS:
        return None
    if _ASCII_NUMBER_RE.fullmatch(s):
        return float(s.replace(',', ''))
    tokens = _NUMBER_TOKEN_RE.findall(s)
    if any(t[0] not in '0123456789' and t not in KANJI_DIGITS
           and t not in KANJI_SMALL_UNITS and t not in KANJI_BIG_UNITS for t in tokens):
        return None
    if not any(t in KANJI_SMALL_UNITS or t in KANJI_BIG_UNITS for t in tokens):
        # positional kanji digits: 二〇二一
        if all(t in KANJI_DIGITS for t in tokens):
            return float(int(''.join(str(KANJI_DIGITS[t]) for t in tokens)))
        return None
    total = 0.0
    section = 0.0
    current: float | None = None
    for t in tokens:
        if t[0] in '0123456789':
            if current is not None:
                return None
            current = float(t.replace(',', ''))
        elif t in KANJI_DIGITS:
            current = KANJI_DIGITS[t] if current is None else current * 10 + KANJI_DIGITS[t]
        elif t in KANJI_SMALL_UNITS:
            section += (1 if current is None else current) * KANJI_SMALL_UNITS[t]
            current = None
        else:  # big unit
            section += current or 0
            total += (section or 1) * KANJI_BIG_UNITS[t]
            section, current = 0.0, None
    return float(total + section + (current or 0))


def _is_kanji_number(s: str) -> bool:
    return all(c in _KANJI_NUM_CHARS for c in s)


def _is_ideograph(ch: str) -> bool:
    return bool(ch) and ('\u4e00' <= ch <= '\u9fff' or '\u3400' <= ch <= '\u4dbf'
                         or '\uf900' <= ch <= '\ufaff' or ch == '\u3005')


def _char_before(text: str, i: int) -> str:
    return text[i - 1] if i > 0 else ''


def _number_context_ok(text: str, m: re.Match) -> bool:
    """Reject ordinals (第2), era years (令和3) and kanji numerals inside words."""
    start = m.start()
    if REJECT_BEFORE_RE.search(text, max(0, start - 6), start):
        return False
    if _is_kanji_number(m.group()):
        prev = _char_before(text, start)
        if _is_ideograph(prev) and prev not in KANJI_NUMBER_OK_AFTER:
            return False
    return True


def _fmt(v: float) -> str:
    """72.0 -> '72', 1.5 -> '1.5'."""
    v = float(v)
    return str(int(v)) if v.is_integer() else repr(v)


# --------------------------------------------------------------------------
# Quantities
# --------------------------------------------------------------------------

def _skip_spaces(text: str, i: int) -> int:
    """Index after at most 3 spaces at ``i`` (same as ``_SP``)."""
    stop = min(len(text), i + 3)
    while i < stop and text[i] == ' ':
        i += 1
    return i


def _unit_at(text: str, i: int, num: re.Match) -> tuple[str, int] | None:
    """(unit, end) of a valid unit word at ``i`` following number ``num``."""
    m = UNIT_RE.match(text, i)
    if not m:
        return None
    unit, word, end = m.lastgroup, m.group(), m.end()
    if unit != 'percent' and REJECT_AFTER_ANY_RE.match(text, end):
        return None
    reject = REJECT_AFTER_UNIT.get(word)
    if reject and reject.match(text, end):
        return None
    value = parse_number(num.group())
    if value is None:
        return None
    if unit == 'minute':
        before = text[:num.start()].rstrip(' \t')
        if before.endswith('時'):                       # 10時30分 is a clock
            return None
        if word == '分' and num.group() == '十' and not TEN_MINUTES_OK_RE.match(text, end):
            return None                                  # 十分な
    if unit == 'day' and DATE_DAY_BEFORE_RE.search(text, max(0, num.start() - 8), num.start()):
        return None                                      # 10月7日
    if word == '年' and value.is_integer() and 1000 <= value <= 9999 and ',' not in num.group():
        return None                                      # 2021年
    return unit, end


def _bound_around(text: str, start: int, end: int) -> tuple[str, int, int, str | None]:
    """Bound from modifiers before ``start`` / after ``end``; widened span."""
    pre_bound = suf_bound = None
    window_start = max(0, start - 8)
    pm = PREFIX_BOUND_RE.search(text, window_start, start)
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


def _quantity_at(text: str, m: re.Match) -> Quantity | None:
    """Parse a quantity (single, range or compound) starting at number ``m``."""
    v1 = parse_number(m.group())
    if v1 is None or not _number_context_ok(text, m):
        return None
    u1 = _unit_at(text, _skip_spaces(text, m.end()), m)
    value, value_to, unit, end = v1, None, None, None
    # range: 3~5日, 3日~5日, 3から5日
    sep = RANGE_SEP_RE.match(text, u1[1] if u1 else m.end())
    if sep:
        m2 = NUMBER_RE.match(text, sep.end())
        if m2 and parse_number(m2.group()) is not None:
            u2 = _unit_at(text, _skip_spaces(text, m2.end()), m2)
            if u2 and (u1 is None or u1[0] == u2[0]):
                value_to, unit, end = parse_number(m2.group()), u2[0], u2[1]
    if unit is None:
        if u1 is None:
            return None
        unit, end = u1
        # compound: 1時間30分, 1年6ヶ月
        if unit in COMPOUNDS:
            small, factor = COMPOUNDS[unit]
            m2 = NUMBER_RE.match(text, _skip_spaces(text, end))
            if m2 and parse_number(m2.group()) is not None:
                u2 = _unit_at(text, _skip_spaces(text, m2.end()), m2)
                if u2 and u2[0] == small:
                    value = v1 * factor + parse_number(m2.group())
                    unit, end = small, u2[1]
        if unit == u1[0] and unit not in ('percent', 'generation'):
            half = HALF_AFTER_UNIT_RE.match(text, end)
            if half:
                value, end = v1 + 0.5, half.end()
    bound, start, end2, suffix_word = _bound_around(text, m.start(), end)
    if value_to is not None and suffix_word == 'まで':
        bound = 'exact'                                  # 3日から5日まで
    return Quantity(value, unit, start, end2, bound, value_to, text[start:end2])


def _service_value(text: str, m: re.Match) -> bool:
    """A bare 24時間/365日 is service hours when it is the whole text (a table
    cell) or follows a service-hours label (``受付時間:``, ``サポートは``)."""
    if not text[:m.start()].strip() and text[m.end():].strip() in ('', '。'):
        return True
    return bool(SERVICE_LABEL_BEFORE_RE.search(text, max(0, m.start() - 10), m.start()))


def _service_spans(text: str) -> list[tuple[int, int]]:
    """Sorted, merged spans of round-the-clock phrases."""
    spans = sorted([mm.span() for mm in ROUND_THE_CLOCK_RE.finditer(text)]
                   + [mm.span() for mm in SERVICE_365_RE.finditer(text)])
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def _overlaps(a: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    """Does ``a`` overlap one of the sorted, disjoint ``spans``?"""
    i = bisect.bisect_right(spans, (a[1], -1)) - 1      # last span starting before a ends
    return i >= 0 and spans[i][1] > a[0]


def _greedy(cands: list) -> list:
    """Non-overlapping selection: earliest start first, then longest."""
    out, last = [], -1
    for c in sorted(cands, key=lambda c: (c.start, -(c.end - c.start))):
        if c.start >= last:
            out.append(c)
            last = c.end
    return out


def find_quantities(text: str) -> list[Quantity]:
    """All number+unit expressions, in order, non-overlapping.

    Round-the-clock phrases (``24時間365日``) are skipped; see the module doc.
    """
    skip = _service_spans(text)
    found: list[Quantity] = []
    last = 0
    for m in NUMBER_RE.finditer(text):
        if m.start() < last:
            continue
        q = _quantity_at(text, m)
        if q is None:
            continue
        last = q.end
        if not _overlaps((q.start, q.end), skip):
            found.append(q)
    for mm in SAME_DAY_RE.finditer(text):
        found.append(Quantity(1.0, 'day', mm.start(), mm.end(), 'max', None, mm.group()))
    return _greedy(found)


# --------------------------------------------------------------------------
# Frequencies
# --------------------------------------------------------------------------

def _frequency(text: str, start: int, end: int, frequency=None, interval=None,
               count=None, bound=None) -> Frequency:
    b, start, end, _ = _bound_around(text, start, end)
    if bound is not None and b == 'exact':
        b = bound
    return Frequency(frequency, interval, count, b, start, end, text[start:end])


def _count_per_period(text: str, m: re.Match) -> Frequency | None:
    """年に2回 / 1日1回 / 3日に1回 / 毎月1回 / 半年に1回."""
    period, pn_text = m.group('period'), m.group('pn')
    count = parse_number(m.group('cnt'))
    if count is None:
        return None
    if period in ('半年', '四半期'):
        if pn_text:
            return None
        return _frequency(text, m.start(), m.end(),
                          interval=(6.0 if period == '半年' else 3.0, 'month'), count=count)
    key = '月' if period.endswith('月') else period
    unit, name = PERIODS[key]
    if pn_text:
        pn = parse_number(pn_text)
        if pn is None or REJECT_BEFORE_RE.search(text, max(0, m.start() - 6), m.start('pn')):
            return None
        if period == '月':                               # 3月に1回: March
            return None
        if period == '年' and pn.is_integer() and pn >= 1000:
            return None
        if _is_kanji_number(pn_text) and _is_ideograph(_char_before(text, m.start('pn'))) \
                and _char_before(text, m.start('pn')) not in KANJI_NUMBER_OK_AFTER:
            return None
        if pn != 1 or name is None:
            return _frequency(text, m.start(), m.end(), interval=(pn, unit), count=count)
        return _frequency(text, m.start(), m.end(), frequency=name, count=count)
    if not m.group('every'):
        prev = _char_before(text, m.start('period'))
        if prev and (prev in '0123456789' + _KANJI_NUM_CHARS or prev == '第'):
            return None
        if key in ('分', '時間', '営業日'):               # these need a number
            return None
        if key in _BARE_PERIOD_NEEDS_BOUNDARY and _is_ideograph(prev):
            return None                                  # 土日に1回, 今月1回
    if name is None:
        return None
    return _frequency(text, m.start(), m.end(), frequency=name, count=count)


def find_frequencies(text: str) -> list[Frequency]:
    """Frequencies and intervals (日次, 年に2回, 5分毎, 隔週), in order.

    ``定期的`` alone is not a frequency.
    """
    cands: list[Frequency] = []
    for m in EVERY_RE.finditer(text):
        name = EVERY_MAP.get(m.group(), 'weekly')      # not in the map: 毎週月曜
        cands.append(_frequency(text, m.start(), m.end(), frequency=name))
    for m in INTERVAL_WORD_RE.finditer(text):
        cands.append(_frequency(text, m.start(), m.end(), interval=INTERVAL_MAP[m.group()]))
    pos = 0
    while True:
        m = COUNT_PER_PERIOD_RE.search(text, pos)
        if not m:
            break
        f = _count_per_period(text, m)
        if f is not None:
            cands.append(f)
        pos = m.start() + 1
    for m in COUNT_SLASH_RE.finditer(text):
        count = parse_number(m.group('cnt'))
        unit, name = PERIODS[m.group('period')]
        if count is not None:
            cands.append(_frequency(text, m.start(), m.end(), frequency=name, count=count))
    for q in find_quantities(text):
        if q.value_to is not None or q.unit in ('percent', 'generation'):
            continue
        sm = INTERVAL_SUFFIX_RE.match(text, q.end)
        em = EVERY_PREFIX_RE.search(text, max(0, q.start - 4), q.start)
        if sm or em:
            start = em.start() if em else q.start
            end = sm.end() if sm else q.end
            cands.append(Frequency(None, (q.value, q.unit), None, q.bound, start, end,
                                   text[start:end]))
    return _greedy(cands)


# --------------------------------------------------------------------------
# Clocks
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class _Point:
    hour: int          # as written
    minute: int
    ampm: str | None
    start: int
    end: int
    bare: bool = False  # a start hour without 時 (9~17時)


def _clock_points(text: str) -> list[_Point]:
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
            if _is_kanji_number(h_text) and not (ampm or m_text or m.group('half')):
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
    for m in ROUND_THE_CLOCK_RE.finditer(text):
        merged.append(_ClockItem('00:00-24:00', m.start(), m.end(), window=True))
    for m in BARE_24H_RE.finditer(text):
        if _service_value(text, m):
            merged.append(_ClockItem('00:00-24:00', m.start(), m.end(), window=True))
    result = [Clock(it.clock, it.start, it.end, text[it.start:it.end], it.open_end)
              for it in merged]
    return _greedy(result)


# --------------------------------------------------------------------------
# Days of week
# --------------------------------------------------------------------------

def _format_days(indices) -> str:
    """Sorted day set -> 'Mon-Fri' when consecutive, else 'Mon,Wed,Fri'."""
    idx = sorted(set(indices))
    if len(idx) >= 2 and idx == list(range(idx[0], idx[-1] + 1)):
        return f'{DAY_NAMES[idx[0]]}-{DAY_NAMES[idx[-1]]}'
    return ','.join(DAY_NAMES[i] for i in idx)


def _bare_day_ok(text: str, start: int, end: int, first_bare: bool, last_bare: bool) -> bool:
    """A day char without 曜 must not be part of a word (3月, 今月, 月額)."""
    if first_bare:
        prev = _char_before(text, start)
        if prev in _NOT_BEFORE_BARE_DAY or (_is_ideograph(prev) and prev not in _OK_BEFORE_BARE_DAY):
            return False
    if last_bare:
        nxt = text[end] if end < len(text) else ''
        if _is_ideograph(nxt) and nxt not in '祝':
            return False
    return True


def _days_item(text: str, start: int, end: int, days: str) -> DaysOfWeek:
    holidays = excluded = False
    hm = HOLIDAY_SUFFIX_RE.match(text, end)
    if hm:
        holidays, end = True, hm.end()
    em = EXCLUDED_SUFFIX_RE.match(text, end)
    if em:
        excluded, end = True, em.end()
    return DaysOfWeek(days, start, end, text[start:end], holidays, excluded)


def find_days_of_week(text: str) -> list[DaysOfWeek]:
    """Day-of-week sets (月~金, 平日, 土日祝, 月・水・金, 年中無休), in order."""
    cands: list[DaysOfWeek] = []
    for m in DAY_RANGE_RE.finditer(text):
        a, b = m.group('a'), m.group('b')
        if not _bare_day_ok(text, m.start(), m.start('b') + len(b), len(a) == 1, len(b) == 1):
            continue
        ia, ib = DAY_CHARS[a[0]], DAY_CHARS[b[0]]
        days = DAY_NAMES[ia] if ia == ib else f'{DAY_NAMES[ia]}-{DAY_NAMES[ib]}'
        cands.append(_days_item(text, m.start(), m.end(), days))
    for m in DAY_LIST_RE.finditer(text):
        tokens = [t.group() for t in DAY_TOKEN_RE.finditer(m.group())]
        if not _bare_day_ok(text, m.start(), m.end(), len(tokens[0]) == 1, len(tokens[-1]) == 1):
            continue
        cands.append(_days_item(text, m.start(), m.end(),
                                _format_days(DAY_CHARS[t[0]] for t in tokens)))
    for m in DAY_SINGLE_RE.finditer(text):
        prev = _char_before(text, m.start())
        if prev and (prev in '0123456789' + _KANJI_NUM_CHARS) \
                and not ORDINAL_BEFORE_DAY_RE.search(text, max(0, m.start() - 6), m.start()):
            continue
        cands.append(_days_item(text, m.start(), m.end(), DAY_NAMES[DAY_CHARS[m.group()[0]]]))
    for m in DAY_WORD_RE.finditer(text):
        word = m.group()
        if word == '土日' and _char_before(text, m.start()) in set('0123456789' + _KANJI_NUM_CHARS):
            continue
        cands.append(_days_item(text, m.start(), m.end(), _format_days(DAY_WORD_MAP[word])))
    for m in SERVICE_365_RE.finditer(text):
        start = m.start() + len(m.group()) - len(m.group().lstrip(' \t/・×xX、,'))
        cands.append(DaysOfWeek('Mon-Sun', start, m.end(), text[start:m.end()]))
    for m in BARE_365_RE.finditer(text):
        if _service_value(text, m):
            cands.append(DaysOfWeek('Mon-Sun', m.start(), m.end(), m.group()))
    for m in EVERYDAY_BEFORE_CLOCK_RE.finditer(text):
        cands.append(DaysOfWeek('Mon-Sun', m.start(), m.end(), m.group()))
    return _greedy(cands)


# --------------------------------------------------------------------------
# Conversions
# --------------------------------------------------------------------------

_ISO_FORMAT = {'minute': 'PT{}M', 'hour': 'PT{}H', 'day': 'P{}D', 'week': 'P{}W',
               'month': 'P{}M', 'year': 'P{}Y'}
_DAYS_PER_UNIT = {'minute': (1, 1440), 'hour': (1, 24), 'day': (1, 1),
                  'business_day': (7, 5), 'week': (7, 1), 'month': (30, 1),
                  'year': (365, 1)}


def iso_duration(value: float, unit: str) -> str | None:
    """ISO 8601 duration (``PT72H``, ``P35D``, ``PT1.5H``); ``None`` for
    business days, generations, percentages and unknown units."""
    fmt = _ISO_FORMAT.get(unit)
    if fmt is None or value is None:
        return None
    return fmt.format(_fmt(value))


def to_days(value: float, unit: str) -> float | None:
    """Calendar days: month = 30, year = 365, business day = 7/5 day."""
    ratio = _DAYS_PER_UNIT.get(unit)
    if ratio is None or value is None:
        return None
    num, den = ratio
    return float(value) * num / den


def to_hours(value: float, unit: str) -> float | None:
    """Hours: ``to_days * 24`` (minutes exactly ``value / 60``)."""
    if unit == 'minute' and value is not None:
        return float(value) / 60
    ratio = _DAYS_PER_UNIT.get(unit)
    if ratio is None or value is None:
        return None
    num, den = ratio
    return float(value) * num * 24 / den
