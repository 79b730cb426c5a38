"""Character classes and span helpers shared by the value parsers."""
from __future__ import annotations

import bisect

SP = r'[ ]{0,3}'                      # spaces allowed between tokens (no tab: it ends a table cell; no newline)
KANJI_NUM_CHARS = '〇零一二三四五六七八九十百千万'
DIGITS = '0123456789'


def is_kanji_number(s: str) -> bool:
    return all(c in KANJI_NUM_CHARS for c in s)


def is_ideograph(ch: str) -> bool:
    return bool(ch) and ('\u4e00' <= ch <= '\u9fff' or '\u3400' <= ch <= '\u4dbf'
                         or '\uf900' <= ch <= '\ufaff' or ch == '\u3005')


def char_before(text: str, i: int) -> str:
    return text[i - 1] if i > 0 else ''


def skip_spaces(text: str, i: int) -> int:
    """Index after at most 3 spaces at ``i`` (same as ``SP``)."""
    stop = min(len(text), i + 3)
    while i < stop and text[i] == ' ':
        i += 1
    return i


def overlaps(a: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    """Does ``a`` overlap one of the sorted, disjoint ``spans``?"""
    i = bisect.bisect_right(spans, (a[1], -1)) - 1      # last span starting before a ends
    return i >= 0 and spans[i][1] > a[0]


def greedy(cands: list) -> list:
    """Non-overlapping selection: earliest start first, then longest."""
    out, last = [], -1
    for c in sorted(cands, key=lambda c: (c.start, -(c.end - c.start))):
        if c.start >= last:
            out.append(c)
            last = c.end
    return out
