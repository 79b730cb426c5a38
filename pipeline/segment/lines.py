"""Lines of a normalised document, and the ones that are no body text: the
table of contents and the revision history. Also the shape of a line that
opens with the document's own section number."""
from __future__ import annotations

import re

from .ids import BRACKET_RE, BRACKETS_ONLY, NUMBER_HEADING, labelled_ids

_TOC_ENTRY = re.compile(r"^(?P<title>.*?\S)(?:\s*(?:\.{2,}|…+|‥+|・{3,}|･{3,}|_{3,}|-{3,})\s*|\t+\s*|\s{2,})(?P<page>\d{1,3})$")
_TOC_HEADER = re.compile(r"^(目\s*次|contents|table of contents|もくじ)$", re.I)
_REVISION_HEADER = re.compile(r"^(改訂|改版|改定|更新|変更|版数|発行|制定)?(履歴|記録)(表)?$|^revision\s*history$", re.I)
_NUMBERED = re.compile(r"^(?:第\s*)?(?P<num>\d{1,2}(?:-\d{1,2}){1,3}(?![.\d])|\d{1,2}(?:\.\d{1,2}){0,3})(?:\.|章|節)?\s*"
                       r"(?P<title>[^\d\s.,、。)〕].*)$")       # 5.3, 5.3., 第2章, 2-1 (hyphen numbering)
_UNIT_START = re.compile(r"^(時|日|月|年|分|秒|%|版|回|件|名|人|桁|個|つ|世代|営業日|稼働日|か月|ヶ月|カ月|週)")
SENTENCE_END = re.compile(r"[。．]$|(です|ます|ません|した|ください)$")
# A web page's heading anchor: 20.2. メンテナンス¶, 操作ログ#
_ANCHOR_MARK = re.compile(r"\s*(?:¶|(?<=[^\x00-\x7f])#)$")


def split_lines(text: str) -> list[tuple[int, int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line), line))
        pos += len(line) + 1
    return out


def toc_entry(line: str) -> re.Match | None:
    return _TOC_ENTRY.match(line)


def _is_toc_entry(t: str) -> bool:
    """A stripped line shaped like a table-of-contents entry.  Its page
    number ends it, so a line ending in no digit is not tried (str.isdigit
    holds for every character \\d matches): the entry regex, with its lazy
    title, costs more than the rest of the table-of-contents search."""
    return len(t) < 120 and t[-1:].isdigit() and bool(_TOC_ENTRY.match(t))


def toc_lines(lines) -> set[int]:
    """Indexes of lines that belong to a table of contents."""
    entry = [_is_toc_entry(t.strip()) for _, _, t in lines]
    marked: set[int] = set()
    i, n = 0, len(lines)
    while i < n:
        if not entry[i]:
            i += 1
            continue
        j, run, last = i, [], i
        while j < n:
            t = lines[j][2].strip()
            if entry[j]:
                run.append(j)
                last = j
            elif t and not _TOC_HEADER.match(t) and j - last > 2:
                break
            elif t and not _TOC_HEADER.match(t) and not (j + 1 < n and entry[j + 1]) and len(t) > 40:
                break
            j += 1
        if len(run) >= 3:
            marked.update(range(run[0], last + 1))
        i = last + 1
    for k, (_, _, t) in enumerate(lines):
        if _TOC_HEADER.match(t.strip().replace(" ", "")) or _TOC_HEADER.match(t.strip()):
            marked.add(k)
    return marked


def revision_lines(lines, toc: set[int]) -> set[int]:
    out: set[int] = set()
    n = len(lines)
    for k, (_, _, t) in enumerate(lines):
        if not _REVISION_HEADER.match(t.strip().replace(" ", "")):
            continue
        j = k
        while j < n:
            if j in toc and j > k:
                break
            raw = lines[j][2]
            t2 = raw.strip()
            # A table row (cells split by tabs, or a wrapped cell indented) is
            # still the history table, whatever it quotes.
            is_row = "\t" in t2 or raw[:1] in ("\t", " ")
            if j > k and t2 and not is_row and _looks_like_heading_start(t2) and _prose_follows(lines, j):
                break
            out.add(j)
            j += 1
    return out


def numbered(text: str) -> re.Match | None:
    """A line opening with the document's own section number. A number glued
    to a unit (``24時間365日``, ``3月末``) is a quantity, not a section
    number; ``5.5 時刻の同期`` and ``2. 人的資源`` are headings."""
    m = _NUMBERED.match(text)
    if not m:
        return None
    if _UNIT_START.match(m.group("title")):
        sep = text[m.end("num"):m.start("title")]
        if m.group("title").startswith("版") or text.lstrip().startswith("第"):
            return None                       # 第 1.1 版: a version
        if not re.search(r"[.\-]", m.group("num")) and "." not in sep:
            return None                       # 24時間, 24 時間, 3月末: a quantity
    return m


def strip_number(title: str) -> tuple[str | None, str]:
    m = numbered(title)
    if m:
        return m.group("num"), m.group("title").strip()
    return None, title.strip()


def strip_anchor(text: str) -> str:
    """A line without the permalink mark a web page puts after a heading
    (only a line ending in one is given to the regex, which would try its
    leading \\s* at every position of every line)."""
    end = text[:-1] if text.endswith("\n") else text        # ($ also matches before a final newline)
    if not end.endswith(("¶", "#")):
        return text
    return _ANCHOR_MARK.sub("", text)


_BARE_NUMBER = re.compile(r"(?:第\s*)?\d{1,2}(?:\.\d{1,2}){0,3}\.?")     # a number line alone: 5.3


def logical_lines(lines, skip: set[int]):
    """Yield (first_index, start, end, text) joining a heading split over two
    lines: a bare bracketed id line joins the line before, a bare number line
    joins the line after."""
    i, n = 0, len(lines)
    while i < n:
        s, e, t = lines[i]
        if i in skip or not t.strip():
            i += 1
            continue
        stripped = strip_anchor(t.strip())
        j = i + 1
        while j < n and not lines[j][2].strip() and j - i < 2:
            j += 1
        if j < n and j not in skip:
            nxt = strip_anchor(lines[j][2].strip())
            if (_BARE_NUMBER.fullmatch(stripped)
                    or (len(stripped) < 60 and (BRACKETS_ONLY.fullmatch(nxt) or _labelled_only(nxt))
                        and not SENTENCE_END.search(stripped))):
                yield i, s, lines[j][1], f"{stripped} {nxt}"
                i = j + 1
                continue
        yield i, s, e, stripped
        i += 1


def _labelled_only(line: str) -> bool:
    """A line that is only a label and ids: ``管理策: A.12.4.1``."""
    m = labelled_ids(line)
    return bool(m) and m.start() == 0


def next_line_starts(lines, idx: int, char: str) -> bool:
    """Whether the next non-blank line after *idx* starts with *char*."""
    for k in range(idx + 1, len(lines)):       # (not a slice: a copy of the rest of the document per call)
        t = lines[k][2].strip()
        if t:
            return t.startswith(char)
    return False


def _looks_like_heading_start(t: str) -> bool:
    if BRACKET_RE.search(t) or NUMBER_HEADING.match(t):
        return True
    return numbered(t) is not None


def _prose_follows(lines, j: int) -> bool:
    seen = 0
    for k in range(j + 1, len(lines)):       # (not a slice: a copy of the rest of the document per call)
        t = lines[k][2].strip()
        if not t:
            continue
        seen += 1
        if t.endswith("。") and "\t" not in t:
            return True
        if seen >= 4:
            return False
    return False
