"""Numbers as written in text: ASCII (1,000 / 3.5 / 1万), kanji (七十二) or
positional kanji digits (二〇二一)."""
from __future__ import annotations

import re

from extractors.quantities.text import KANJI_NUM_CHARS, SP

KANJI_DIGITS = {'〇': 0, '零': 0, '一': 1, '二': 2, '三': 3, '四': 4, '五': 5,
                '六': 6, '七': 7, '八': 8, '九': 9}
KANJI_SMALL_UNITS = {'十': 10, '百': 100, '千': 1000}
KANJI_BIG_UNITS = {'万': 10_000, '億': 100_000_000}

# An ASCII number may not be part of a dotted/colon/slash sequence
# (12.3.1, 27017:2015, 2024/12/01).
NUM = (r'(?:[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?(?![0-9]|[.,:/][0-9])(?:' + SP + r'万)?'
       r'|(?!〇(?![' + KANJI_NUM_CHARS + r']))[' + KANJI_NUM_CHARS + r']+)')   # a lone 〇 is a check mark
NUM_START = r'(?<![0-9.' + KANJI_NUM_CHARS + r'])(?<![0-9][,:/])'
NUMBER_RE = re.compile(NUM_START + NUM)

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
    return _kanji_value(tokens)


def _kanji_value(tokens: list[str]) -> float | None:
    """Value of numeral tokens with kanji multipliers (千二百, 1.5万)."""
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


def fmt(v: float) -> str:
    """72.0 -> '72', 1.5 -> '1.5'."""
    v = float(v)
    return str(int(v)) if v.is_integer() else repr(v)
