"""Named rejects: a number, or a number and a unit word, that look like a
quantity and are not one. Each entry carries an example phrase that it keeps
from becoming a quantity (tests/test_quantities.py checks every example), so
a new reject is one more entry here with its example.

A reject before the number sees ``(text, start, digits)``; a reject after the
unit sees a :class:`UnitMatch`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from extractors.quantities.text import SP, char_before, is_ideograph, is_kanji_number


@dataclass(frozen=True)
class UnitMatch:
    """A number followed by a unit word: ``text[num_start:num_end]`` is the
    number, ``text[...:end]`` the unit ``word`` (of ``unit``)."""
    text: str
    num_start: int
    num_end: int
    digits: str
    value: float
    unit: str
    word: str
    end: int

    def after(self, rx: re.Pattern) -> bool:
        return rx.match(self.text, self.end) is not None


@dataclass(frozen=True)
class Reject:
    name: str
    example: str                  # a phrase this entry keeps from being a quantity
    applies: Callable


# Before the number -------------------------------------------------------
_ORDINAL_OR_ERA_RE = re.compile(r'(?:第|令和|平成|昭和|大正|明治|西暦)' + SP + r'\Z')
# A kanji-only number right after an ideograph is part of a word (統一, 同一,
# 不十分, 数十) unless that ideograph is one of these modifiers' last chars.
KANJI_NUMBER_OK_AFTER = set('約低大長短去近毎各計後')


def _ordinal_or_era(text: str, start: int, digits: str) -> bool:
    return _ORDINAL_OR_ERA_RE.search(text, max(0, start - 6), start) is not None


def _kanji_inside_word(text: str, start: int, digits: str) -> bool:
    prev = char_before(text, start)
    return is_kanji_number(digits) and is_ideograph(prev) and prev not in KANJI_NUMBER_OK_AFTER


NUMBER_REJECTS = (
    Reject('ordinal_or_era_year', '第3版', _ordinal_or_era),
    Reject('kanji_numeral_inside_a_word', '不十分な設定', _kanji_inside_word),
)

# After the unit ----------------------------------------------------------
_ORDINAL_AFTER_RE = re.compile(r'目')
_PART_OF_WORD_AFTER_FUN_RE = re.compile(r'の|[割類離析散布岐解担野子母配別冊身家量]')
_NOT_YEARS_RE = re.compile(r'度|生|代|次|号|版|' + SP + r'(?:[0-9]{1,2}|[〇一二三四五六七八九十]{1,3})'
                           + SP + r'月(?!間)')
_TIME_BAND_RE = re.compile(r'帯')
_AS_SOON_RE = re.compile(r'も早')
# The day of a date: 10月7日, 翌月の20日 (but 3ヶ月5日 is a duration).
_DATE_DAY_BEFORE_RE = re.compile(r'(?<![ヶかカヵ箇ケ个])月' + SP + r'の?' + SP + r'\Z')
# 十分 is "enough" unless clearly a duration.
_TEN_MINUTES_OK_RE = re.compile(
    SP + r'(?:以内|以上|以下|未満|毎|ごと|おき|置き|間隔|程度|ほど|前後|後|前|まで|経過|を超)')

UNIT_REJECTS = (
    Reject('ordinal', '3年目', lambda u: u.unit != 'percent' and u.after(_ORDINAL_AFTER_RE)),
    Reject('fraction_or_word_with_分', '3分の1', lambda u: u.word == '分' and u.after(_PART_OF_WORD_AFTER_FUN_RE)),
    Reject('fiscal_year_grade_or_date', '平成30年度の監査', lambda u: u.word == '年' and u.after(_NOT_YEARS_RE)),
    Reject('time_band', '3時間帯', lambda u: u.word == '時間' and u.after(_TIME_BAND_RE)),
    Reject('as_soon_as_possible', '一日も早く', lambda u: u.word == '日' and u.after(_AS_SOON_RE)),
    Reject('minutes_of_a_clock', '10時30分',
           lambda u: u.unit == 'minute' and u.text[:u.num_start].rstrip(' \t').endswith('時')),
    Reject('ten_minutes_as_enough', '十分な対策',
           lambda u: u.word == '分' and u.digits == '十' and not u.after(_TEN_MINUTES_OK_RE)),
    Reject('day_of_a_date', '10月7日',
           lambda u: u.unit == 'day' and _DATE_DAY_BEFORE_RE.search(
               u.text, max(0, u.num_start - 8), u.num_start) is not None),
    Reject('calendar_year', '2021年',
           lambda u: u.word == '年' and u.value.is_integer() and 1000 <= u.value <= 9999 and ',' not in u.digits),
)


def number_rejected(text: str, start: int, digits: str) -> str | None:
    """Name of the reject that keeps the number at ``text[start:]`` from
    being a quantity, or ``None``."""
    return next((r.name for r in NUMBER_REJECTS if r.applies(text, start, digits)), None)


def unit_rejected(u: UnitMatch) -> str | None:
    """Name of the reject that keeps the number and unit word ``u`` from
    being a quantity, or ``None``."""
    return next((r.name for r in UNIT_REJECTS if r.applies(u)), None)
