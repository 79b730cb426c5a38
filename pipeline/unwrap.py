"""Text files that are the text layer of a PDF: page furniture and hard wraps.

Some whitepapers reach the analyst as the text of their PDF (saved from a
viewer, or run through ``pdftotext``): every line cut at the column width,
and page numbers and running headers between the pages. Read as is, a
sentence cut in two loses its bound (``24 時間`` / ``以内に``) and a header
line lands in the middle of a paragraph. Such a text is put back together
the way :mod:`pipeline.read_pdf` assembles a PDF's text layer:

* page furniture: page-number lines (``- 3 -``, ``3 / 12``, ``Page 3``),
  form feeds, and the lines that repeat beside them at several page breaks
  (the running header and footer) are dropped;
* hard wraps: when most long lines stop at the same column without ending a
  sentence, a line that reaches that column is joined to the next one,
  unless the next one starts a heading, an item or a table row.

A file written as one paragraph per line has no common column and no
page-number lines, and is returned unchanged.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

PAGE_NO = re.compile(
    r"[-–—‐]\s*\d{1,4}\s*[-–—‐]"                            # - 3 -
    r"|\d{1,4}\s*(?:/|of)\s*\d{1,4}"                        # 3 / 10, 3/10
    r"|(?:page|p\.)\s*\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?"    # Page 3, p. 3
    r"|第?\s*\d{1,4}\s*(?:頁|ページ)",                        # 3頁, 第3ページ
    re.IGNORECASE,
)
_MIN_PAGES = 2            # page-number lines before a file counts as paged
_NEAR = 2                 # lines on either side of a page break that may be its header/footer
_MIN_WIDTH = 20           # display columns of a line that takes part in the column estimate
_MAX_COLUMN = 100         # a text cut wider than this (50 CJK characters) is not hard-wrapped
_SLACK = 6                # a wrapped line ends within this many columns of the column
_MIN_WRAPPED = 8          # and there are at least this many of them
_WRAPPED_SHARE = 0.25     # making up at least this share of the long lines
_SENTENCE_END = re.compile(r"[。．.!?！？:：」』)）]$")
_STARTS_BLOCK = re.compile(
    r"[・\-‐－−●○■□◆◇▪►▶※＊*•【\[〔<＜]"       # bullets, notes, bracketed headings
    r"|[(（]\s*\d{1,3}\s*[)）]|[①-⑳]"            # (1), ①
    r"|(?:第\s*)?\d{1,2}(?:[.\-]\d{1,2}){0,3}[.．]?(?:\s|章|節)"   # 5.3.1 title, 第3章
    r"(?!\s*(?:年|か月|ヶ月|カ月|月|日|週|時間|時|分|秒|%|世代|営業日|稼働日|回|件|名|人|GB|TB))"   # not 1 年間
    r"|(?:A|CLD)\s*[.．]\s*\d", re.IGNORECASE)


@dataclass(frozen=True)
class Unwrapped:
    text: str
    pages: int          # page-number lines found (0: not a paged text)
    joined: int         # hard-wrapped lines joined to the next


def width(line: str) -> int:
    """Display columns: a full-width (CJK) character counts two."""
    return len(line) + sum(map(_is_wide, line))


@functools.lru_cache(maxsize=None)
def _is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def _is_page_no(line: str) -> bool:
    return bool(PAGE_NO.fullmatch(unicodedata.normalize("NFKC", line).strip()))


def _drop_furniture(lines: list[str]) -> tuple[list[str], int]:
    breaks = {i for i, t in enumerate(lines) if _is_page_no(t) or t.strip() == "\f"}
    if len(breaks) < _MIN_PAGES:
        return lines, 0
    near: Counter[str] = Counter()
    for b in breaks:
        seen = set()
        for j in range(max(0, b - _NEAR), min(len(lines), b + _NEAR + 1)):
            t = lines[j].strip()
            if t and j != b and t not in seen:
                seen.add(t)
                near[t] += 1
    running = {t for t, n in near.items() if n >= _MIN_PAGES and not _SENTENCE_END.search(t)}
    keep = []
    for i, t in enumerate(lines):
        s = t.replace("\f", "").strip()
        at_break = any(abs(i - b) <= _NEAR for b in breaks) or i <= _NEAR   # (page 1 has its header too)
        if i in breaks or (at_break and (s in running or not s)):
            continue            # (and the blank lines around a page break: a sentence may run on)
        keep.append(t.replace("\f", ""))
    return keep, len(breaks)


def _column(lines: list[str]) -> int | None:
    """The column a hard-wrapped text is cut at, or None."""
    widths = sorted(w for w in (width(t.rstrip()) for t in lines if "\t" not in t) if w >= _MIN_WIDTH)
    if len(widths) < _MIN_WRAPPED:
        return None
    column = widths[int(0.9 * (len(widths) - 1))]
    if column > _MAX_COLUMN:
        return None
    full = [t for t in lines if "\t" not in t and width(t.rstrip()) >= column - _SLACK
            and not _SENTENCE_END.search(t.rstrip())]
    if len(full) < _MIN_WRAPPED or len(full) < _WRAPPED_SHARE * len(widths):
        return None
    return column


def join_wrapped(left: str, right: str) -> str:
    """Join a line to the line it wrapped into: a space between two Latin
    words, none in Japanese, nor inside a number cut at the line end when
    Japanese is around it (最大 2 / 1 日 -> 最大 21 日)."""
    a, b = left[-1:], right[:1]
    sep = " " if a.isascii() and b.isascii() and a.isalnum() and b.isalnum() else ""
    if sep and a.isdigit() and b.isdigit():
        before = left.rstrip("0123456789.,")[-1:]
        after = right.lstrip("0123456789.,").lstrip()[:1]
        if not (before.isascii() and after.isascii()):
            sep = ""
    return left + sep + right


def unwrap_text(text: str) -> Unwrapped:
    lines, pages = _drop_furniture(text.split("\n"))
    column = _column(lines)
    if column is None:
        return Unwrapped("\n".join(lines) if pages else text, pages, 0)
    out: list[str] = []
    joined = 0
    carry = False               # the last line of out reached the column
    for t in lines:
        s = t.rstrip()
        if carry and s.strip() and "\t" not in s and not _STARTS_BLOCK.match(s.strip()):
            out[-1] = join_wrapped(out[-1], s.strip())
            joined += 1
        else:
            out.append(s)
        # judged on the physical line, not on what it was joined to
        carry = bool(s.strip()) and "\t" not in s and width(s) >= column - _SLACK and not _SENTENCE_END.search(s)
    return Unwrapped("\n".join(out), pages, joined)
