"""Word lists to regular expressions: the one helper every vocabulary of the
extractors is compiled by, so that a new wording is one more word in a list.

A list keeps its order (the first word that matches at a place wins, so a
longer word goes before its prefix: 毎時間 before 毎時). An entry is a plain
word unless the list is marked ``raw``: then it may carry a lookaround
(``ログ(?!イン)``) and is used as written.
"""
from __future__ import annotations

import re
from typing import Iterable


def alternation(words: Iterable[str], raw: bool = False) -> str:
    """``a|b|c`` of the words (escaped unless ``raw``), for use inside a
    larger pattern."""
    return "|".join(w if raw else re.escape(w) for w in words)


def words_re(*lists: Iterable[str], raw: bool = False, before: str = "", after: str = "") -> re.Pattern:
    """One compiled pattern matching any word of the lists, optionally
    wrapped as ``before(?:words)after``."""
    body = alternation([w for ws in lists for w in ws], raw)
    if before or after:
        body = f"{before}(?:{body}){after}"
    return re.compile(body)


def named_alternation(groups: Iterable[tuple[str, Iterable[str]]], raw: bool = False) -> str:
    """``(?:(?P<name>words)|...)`` of (name, words) pairs: the name of the
    group that matched (``m.lastgroup``) says which list the word is from."""
    return "(?:" + "|".join(f"(?P<{name}>{alternation(ws, raw)})" for name, ws in groups) + ")"
