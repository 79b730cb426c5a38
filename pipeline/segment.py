"""Cut a normalised document into sections at its headings.

Heading styles recognised (after NFKC, so full-width forms are covered):

* bracketed control ids, before or after the title, with or without the
  document's own numbering: ``5.3. バックアップ【A.12.3.1】``,
  ``【A.6.1.1, CLD.6.3.1】 責任範囲``, ``暗号化 [A.10.1.1]``;
* a heading that starts with a control number: ``12.3.1 情報のバックアップ``,
  ``A.12.3.1 情報のバックアップ``, ``CLD.8.1.5 ...`` -- accepted only when the
  title agrees with the catalogue's title for that number, so a manual's own
  ``7.1.1. 機能概要`` is not mistaken for A.7.1.1;
* the document's own numbered headings (``2.1 用語の定義``, ``1運用体制``) and,
  when the document has a table of contents, the unnumbered headings it lists.

Not headings: table-of-contents entries (leaders, trailing page numbers), the
rows of a revision-history table, bullets and list items, and numbers quoted
inside body text.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .catalog import Catalog, canonical_id, title_key

ID_TEXT = r"(?:(A|CLD)\s*\.?\s*)?(\d{1,2})\s*\.\s*(\d{1,2})\s*\.\s*(\d{1,2})"     # also A12.3.1, CLD 6.3.1
_ID_RE = re.compile(ID_TEXT, re.I)
_BRACKETS = {"【": "】", "[": "]", "(": ")", "〔": "〕", "《": "》", "<": ">", "〈": "〉", "{": "}"}
_ID_NOGROUP = ID_TEXT.replace("(", "(?:").replace("(?:?:", "(?:")
# The standard may be named before the ids: (JIS Q 27017 12.4.1), 【ISO/IEC 27001:2013 A.9.2.1】
_STANDARD_NAME = r"(?:JIS\s*Q|ISO\s*/\s*IEC|ISO)\s*270(?:01|02|17|18)(?:\s*:\s*\d{4})?\s*"   # JIS Q 27017:2016
_STANDARD = r"(?:" + _STANDARD_NAME + r"(?:附属書\s*A\s*)?)?"
_BRACKET_RE = re.compile("|".join(
    re.escape(o) + r"\s*" + _STANDARD + r"(" + _ID_NOGROUP + r"(?:\s*[,、/;・\s]\s*(?:" + _ID_NOGROUP + r"))*)\s*"
    + re.escape(c) for o, c in _BRACKETS.items()), re.I)
_ID_LIST_SEP = re.compile(r"[,、/;・\s]+")
_BRACKET_GAP = re.compile(r"[\s,、/;・]*")          # between two bracket groups: [A.12.4.1][A.12.4.3]
_BRACKETS_ONLY = re.compile(r"(?:(?:" + _BRACKET_RE.pattern + r")[\s,、/;・]*)+", re.I)
_TOC_ENTRY = re.compile(r"^(?P<title>.*?\S)(?:\s*(?:\.{2,}|…+|‥+|・{3,}|･{3,}|_{3,}|-{3,})\s*|\t+\s*|\s{2,})(?P<page>\d{1,3})$")
_TOC_HEADER = re.compile(r"^(目\s*次|contents|table of contents|もくじ)$", re.I)
_REVISION_HEADER = re.compile(r"^(改訂|改版|改定|更新|変更|版数|発行|制定)?(履歴|記録)(表)?$|^revision\s*history$", re.I)
_DECORATION = re.compile(r"^[■□◆◇▶▷▼▽◎]\s*")
_BULLET = re.compile(r"^([・\-‐*•●○◯※→⇒>]|\(\d+\)|\d+\))")
# An unnumbered heading set off by a mark or brackets: ``◆ 情報のバックアップ``,
# ``【ログの管理】``. Taken only when the document repeats the style and has
# (almost) no control numbers of its own -- otherwise these are sub-headings.
_MARKED_TITLE = re.compile(r"^(?P<mark>[■□◆◇▶▷▼▽◎●○★☆◉◼▪])\s*(?P<title>[^\s\d].{0,39})$"
                           r"|^(?P<open>[【〔《<\[])\s*(?P<btitle>[^\d\]】〕》>]{1,30}?)\s*[】〕》>\]]$"
                           r"|^(?P<paren>\()\d{1,2}\)\s*(?P<ptitle>[^\d\s].{0,24})$")       # (1) バックアップ
_MIN_MARKED = 3
_NUMBERED = re.compile(r"^(?:第\s*)?(?P<num>\d{1,2}(?:-\d{1,2}){1,3}(?![.\d])|\d{1,2}(?:\.\d{1,2}){0,3})(?:\.|章|節)?\s*"
                       r"(?P<title>[^\d\s.,、。)〕].*)$")       # 5.3, 5.3., 第2章, 2-1 (hyphen numbering)
_NUMBER_HEADING = re.compile(r"^" + ID_TEXT + r"\.?\s*(?P<title>[^\d\s.].*)$", re.I)
_EXPLICIT_ID = r"(?:A|CLD)\s*\.\s*\d{1,2}\s*\.\s*\d{1,2}\s*\.\s*\d{1,2}"
# several explicit ids, then the title: A.9.2.1 / A.9.2.2 利用者登録及び登録削除...
_ID_LIST_HEADING = re.compile(r"^(?P<ids>" + _EXPLICIT_ID + r"(?:\s*[/,、・]\s*" + _EXPLICIT_ID + r")+)\.?\s+"
                              r"(?P<title>[^\d\s.].*)$", re.I)
_CHAPTER_PREFIX = re.compile(r"^第\s*\d{1,2}\s*[章節部]\s*")
_EXPLICIT_ID_START = re.compile(r"(?:A|CLD)\s*\.?\s*\d", re.I)
_CITE_PREFIX = re.compile(r"(?:" + _STANDARD_NAME + r")?(?:附属書\s*)?"
                          r"(?=(?:A|CLD)?\s*\.?\s*\d{1,2}\s*\.\s*\d)", re.I)
_UNIT_START = re.compile(r"^(時|日|月|年|分|秒|%|版|回|件|名|人|桁|個|つ|世代|営業日|稼働日|か月|ヶ月|カ月|週)")
_SENTENCE_END = re.compile(r"[。．]$|(です|ます|ません|した|ください)$")
_MAX_HEADING = 80
_MAX_HEADING_CITED = 160     # CLD.6.3.1 Shared roles and responsibilities ...(クラウドコンピューティング環境における…)


@dataclass
class Heading:
    start: int
    end: int
    text: str
    number: str | None
    title: str
    control_ids: list[str] = field(default_factory=list)
    id_source: str | None = None          # heading_bracket | heading_number | None
    corrected: list[tuple[str, str]] = field(default_factory=list)   # (cited, used)
    unknown: list[str] = field(default_factory=list)
    cited: tuple | None = None            # (prefix, a, b, c) of a number-style heading
    also: list[tuple] = field(default_factory=list)   # further cited ids (A.9.2.1 / A.9.2.2 ...)


@dataclass
class Section:
    index: int
    heading: Heading | None
    start: int
    body_start: int
    end: int
    fact_control_id: str | None = None

    @property
    def control_ids(self) -> list[str]:
        return self.heading.control_ids if self.heading else []


@dataclass
class Layout:
    """What the segmenter learnt about the document besides its sections."""
    sections: list[Section]
    toc_lines: set[int]
    revision_lines: set[int]
    lines: list[tuple[int, int, str]]     # (start, end, text) of every line


def split_lines(text: str) -> list[tuple[int, int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line), line))
        pos += len(line) + 1
    return out


def _toc_lines(lines) -> set[int]:
    """Indexes of lines that belong to a table of contents."""
    entry = [bool(_TOC_ENTRY.match(t.strip())) and len(t.strip()) < 120 for _, _, t in lines]
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


def _parse_ids(blob: str) -> list[tuple[str | None, str, str, str]]:
    return [m.groups() for m in _ID_RE.finditer(blob)]


def _numbered(text: str) -> re.Match | None:
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


def _strip_number(title: str) -> tuple[str | None, str]:
    m = _numbered(title)
    if m:
        return m.group("num"), m.group("title").strip()
    return None, title.strip()


class _Resolver:
    """Validates cited ids against the catalogue, correcting mis-citations."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog

    def resolve(self, h: Heading, cited: list[tuple], source: str) -> None:
        for prefix, a, b, c in cited:
            cid = canonical_id(prefix, a, b, c)
            if cid in self.catalog:
                if cid not in h.control_ids:
                    h.control_ids.append(cid)
                continue
            best = self.correction(cid, h.title)
            if best is not None and best not in h.control_ids:
                h.control_ids.append(best)
                h.corrected.append((cid, best))
            elif best is None:
                h.unknown.append(cid)
        h.id_source = source if h.control_ids else None

    def correction(self, cid: str, title: str) -> str | None:
        """The control a mis-cited id means, when the heading's title says so
        plainly: the same number under the other prefix (A.12.4.5 for
        CLD.12.4.5) with a matching title, or a title that is exactly one
        control's title or alias. Otherwise None: the id stays unknown."""
        if not title:
            return None
        prefix, number = cid.split(".", 1)
        twin = f"{'CLD' if prefix == 'A' else 'A'}.{number}"
        if twin in self.catalog and self.catalog.title_matches(twin, title, 0.5):
            return twin
        key = title_key(title)
        if len(key) < 4:
            return None
        exact = {c.control_id for c in self.catalog
                 if key in {title_key(n) for n in (c.title_ja, *c.aliases)}}
        return exact.pop() if len(exact) == 1 else None


def _successor(prev: tuple[int, ...] | None, cand: tuple[int, ...]) -> bool:
    if prev is None:
        return cand[0] in (0, 1) and all(x == 1 for x in cand[1:])
    if cand == prev + (1,):
        return True
    for k in range(len(prev)):
        if cand == prev[:k] + (prev[k] + 1,):
            return True
    return False


def _num_tuple(number: str | None) -> tuple[int, ...] | None:
    if not number:
        return None
    try:
        return tuple(int(x) for x in re.split(r"[.\-]", number.strip(".")))
    except ValueError:
        return None


def _logical_lines(lines, skip: set[int]):
    """Yield (first_index, start, end, text) joining a heading split over two
    lines: a bare bracketed id line joins the line before, a bare number line
    joins the line after."""
    i, n = 0, len(lines)
    while i < n:
        s, e, t = lines[i]
        if i in skip or not t.strip():
            i += 1
            continue
        stripped = t.strip()
        j = i + 1
        while j < n and not lines[j][2].strip() and j - i < 2:
            j += 1
        if j < n and j not in skip:
            nxt = lines[j][2].strip()
            if (re.fullmatch(r"(?:第\s*)?\d{1,2}(?:\.\d{1,2}){0,3}\.?", stripped)
                    or (_BRACKETS_ONLY.fullmatch(nxt) and len(stripped) < 60 and not _SENTENCE_END.search(stripped))):
                yield i, s, lines[j][1], f"{stripped} {nxt}"
                i = j + 1
                continue
        yield i, s, e, stripped
        i += 1


_CELL_ID = re.compile(r"^(?:【\s*)?" + ID_TEXT + r"\.?(?:\s*】)?$", re.I)
# several explicit ids in one cell: A.9.2.1 / A.9.2.2
_CELL_IDS = re.compile(r"(?:" + _EXPLICIT_ID + r"\s*[/,、・;]?\s*){2,}", re.I)


def _cid_kind(prefix: str | None) -> str:
    """Candidate kind of a heading citing a number: explicit CLD, explicit A, or bare."""
    return "cid:" + ("cld" if prefix and prefix.upper() == "CLD" else "a" if prefix else "bare")


def _table_row_heading(raw: str, start: int, resolver: "_Resolver") -> tuple[Heading, str] | None:
    """Whitepapers laid out as a table put one control per row:
    ``[No.]<tab>12.3.1<tab>情報のバックアップ<tab>当社は…``. The id and title
    cells are the heading; the cells after them are the section's body."""
    if "\t" not in raw:
        return None
    cells = raw.split("\t")
    lead = 0
    while lead < len(cells) and (not cells[lead].strip() or re.fullmatch(r"\d{1,3}\.?", cells[lead].strip())):
        lead += 1
    if lead >= len(cells) - 1:
        return None
    cell = cells[lead].strip()
    m = _CELL_ID.match(cell)
    ids = [m.groups()] if m else (_parse_ids(cell) if _CELL_IDS.fullmatch(cell) else [])
    if not ids:
        # a checklist row: 12<tab>バックアップを取得しているか(A.12.3.1)<tab>〇<tab>毎日取得
        run = _edge_brackets(cell)
        if run and run[1] >= len(cell) - 1 and run[0] > 0 and not _SENTENCE_END.search(cell[:run[0]]):
            end = start + sum(len(c) + 1 for c in cells[:lead + 1]) - 1
            h = Heading(start, end, raw[:end - start].strip(), None, cell[:run[0]].strip())
            resolver.resolve(h, _parse_ids(cell[run[0]:run[1]]), "heading_bracket")
            return h, "bracket"
        return None
    title = cells[lead + 1].strip()
    if not ids or not title or len(title) > 60 or _ID_RE.search(title) or _SENTENCE_END.search(title):
        return None
    end = start + sum(len(c) + 1 for c in cells[:lead + 2]) - 1
    number = cell.strip("【】 ").rstrip(".")
    h = Heading(start, end, raw[:end - start].strip(), number, title, cited=ids[0], also=ids[1:])
    return h, _cid_kind(ids[0][0])


def _revision_lines(lines, toc: set[int]) -> set[int]:
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


def _edge_brackets(body: str) -> tuple[int, int] | None:
    """(start, end) of the bracketed ids that end or begin a line: one group
    or several in a row (``ログの取得 [A.12.4.1][A.12.4.3]``)."""
    runs: list[list[int]] = []
    for m in _BRACKET_RE.finditer(body):
        if runs and _BRACKET_GAP.fullmatch(body, runs[-1][1], m.start()):
            runs[-1][1] = m.end()
        else:
            runs.append([m.start(), m.end()])
    end = len(body.rstrip()) - 1
    for bs, be in runs:
        if be >= end or bs <= 1:
            return bs, be
    return None


def _marked_title(t: str) -> tuple[str, str] | None:
    """(mark, title) of a line like ``◆ 情報のバックアップ`` or ``【ログの管理】``."""
    m = _MARKED_TITLE.match(t)
    if not m:
        return None
    title = (m.group("title") or m.group("btitle") or m.group("ptitle")).strip()
    if not title or re.search(r"[。、,]", title) or _SENTENCE_END.search(title) or _ID_RE.search(title):
        return None
    return m.group("mark") or m.group("open") or m.group("paren"), title


def _next_line_starts(lines, idx: int, char: str) -> bool:
    """Whether the next non-blank line after *idx* starts with *char*."""
    for _, _, t in lines[idx + 1:]:
        t = t.strip()
        if t:
            return t.startswith(char)
    return False


def _looks_like_heading_start(t: str) -> bool:
    if _BRACKET_RE.search(t) or _NUMBER_HEADING.match(t):
        return True
    return _numbered(t) is not None


def _prose_follows(lines, j: int) -> bool:
    seen = 0
    for _, _, t in lines[j + 1:]:
        t = t.strip()
        if not t:
            continue
        seen += 1
        if t.endswith("。") and "\t" not in t:
            return True
        if seen >= 4:
            return False
    return False


def segment(text: str, catalog: Catalog) -> Layout:
    lines = split_lines(text)
    toc = _toc_lines(lines)
    revision = _revision_lines(lines, toc)
    toc_titles: set[str] = set()
    for k in toc:
        m = _TOC_ENTRY.match(lines[k][2].strip())
        if m:
            full = m.group("title").strip()
            toc_titles.add(title_key(full))
            toc_titles.add(title_key(_strip_number(full)[1]))
    toc_titles.discard("")
    resolver = _Resolver(catalog)

    # Pass 1: candidates.
    cands: list[tuple[Heading, str]] = []   # (heading, kind) kind: bracket|number|numbered|toc
    for idx, s, e, t in _logical_lines(lines, toc | revision):
        row = _table_row_heading(lines[idx][2], s, resolver)
        if row is not None:
            cands.append(row)
            continue
        marked = _marked_title(t)
        if marked:
            mark, title = marked
            if not _next_line_starts(lines, idx, t[0]):        # not an item of a list
                cands.append((Heading(s, e, t, None, title), "mark:" + mark))
            continue
        too_long = len(t) > (_MAX_HEADING_CITED if _EXPLICIT_ID_START.match(t) and "。" not in t else _MAX_HEADING)
        if too_long or _BULLET.match(t):
            continue
        body = _DECORATION.sub("", t)
        run = _edge_brackets(body)
        if run:
            bs, be = run
            rest = (body[:bs] + " " + body[be:]).strip()
            if not _SENTENCE_END.search(rest):
                number, title = _strip_number(rest)
                h = Heading(s, e, t, number, title)
                resolver.resolve(h, _parse_ids(body[bs:be]), "heading_bracket")
                cands.append((h, "bracket"))
                continue
        if _SENTENCE_END.search(body):
            continue
        chapter = _CHAPTER_PREFIX.match(body)        # 第3章 CLD.8.1.5 ...: the id after the chapter
        idpart = body[chapter.end():] if chapter and _EXPLICIT_ID_START.match(body, chapter.end()) else body
        cite = _CITE_PREFIX.match(idpart)             # 附属書A.12.4.1 ..., ISO/IEC 27017 12.4.4 ...
        if cite and cite.end():
            idpart = idpart[cite.end():]
        ml = _ID_LIST_HEADING.match(idpart)
        if ml and not _ID_RE.search(ml.group("title")):
            ids = _parse_ids(ml.group("ids"))
            h = Heading(s, e, t, ml.group("ids").strip(), ml.group("title").strip(), cited=ids[0], also=ids[1:])
            cands.append((h, _cid_kind(ids[0][0])))
            continue
        m = _NUMBER_HEADING.match(idpart)
        if m and not _ID_RE.search(m.group("title")):
            prefix, a, b, c = m.group(1), m.group(2), m.group(3), m.group(4)
            number = idpart[:m.start("title")].strip().rstrip(".")
            h = Heading(s, e, t, number, m.group("title").strip().lstrip(":-– ").strip(), cited=(prefix, a, b, c))
            cands.append((h, _cid_kind(prefix)))
            continue
        m = _numbered(body)
        # (a numbered row whose title cites a control is a cross-reference table: 2-1 (1)<tab>A.12.3.1 ...)
        if m and len(m.group("title")) <= 60 and not _ID_RE.search(m.group("title")):
            cands.append((Heading(s, e, t, m.group("num"), m.group("title").strip()), "numbered"))
            continue
        if toc_titles and title_key(body) in toc_titles and len(body) <= 60:
            cands.append((Heading(s, e, t, None, body), "toc"))

    # Pass 2: validate control-number headings on their titles. A document that
    # plainly uses bare control numbers as headings earns a laxer threshold.
    def number_ok(h: Heading, kind: str, threshold: float, bare_style: bool) -> bool:
        cid = canonical_id(*h.cited)
        if kind != "cid:bare" and cid in catalog:
            return True
        if cid in catalog:
            return catalog.title_matches(cid, h.title, threshold)
        # A number the catalogue lacks: a mis-citation only when the id was
        # explicit, or the document plainly numbers its headings by control.
        if kind == "cid:bare" and not (bare_style and 5 <= int(h.cited[1]) <= 18):
            return False
        return resolver.correction(cid, h.title) is not None

    strict = [h for h, k in cands if k.startswith("cid:") and number_ok(h, k, 0.45, False)]
    bare_style = len(strict) >= 3
    cited = strict + [h for h, k in cands if k == "bracket" and h.control_ids]
    n_cited = len(cited)
    marks = Counter(k for _, k in cands if k.startswith("mark:"))
    # the mark of the document's control headings (■ 12.3.1 ...) also sets off
    # its other headings (■ サポート窓口について)
    cited_marks = Counter("mark:" + h.text[0] for h in cited if _DECORATION.match(h.text))
    lax = 0.2 if bare_style else 0.45
    accepted: list[Heading] = []
    last_struct: tuple[int, ...] | None = None
    in_control_prefix: tuple[int, ...] | None = None   # structural number of the open control heading
    in_control = False
    for h, kind in cands:
        if kind.startswith("mark:"):
            if ((marks[kind] >= _MIN_MARKED and n_cited < 3 or cited_marks[kind] >= _MIN_MARKED)
                    and (not toc_titles or title_key(h.title) in toc_titles)):
                accepted.append(h)
            continue
        if kind.startswith("cid:"):
            if number_ok(h, kind, lax, bare_style):
                resolver.resolve(h, [h.cited, *h.also], "heading_number")
                if h.control_ids:
                    accepted.append(h)
                    in_control, in_control_prefix = True, None
                    continue
            kind = "numbered"
            m = _numbered(_DECORATION.sub("", h.text))
            if not m:
                continue
            h.number, h.title = m.group("num"), m.group("title").strip()
        if kind == "bracket":
            if h.control_ids or h.unknown:
                accepted.append(h)
                in_control = bool(h.control_ids)
                in_control_prefix = _num_tuple(h.number)
                if in_control_prefix:
                    last_struct = in_control_prefix
            continue
        num = _num_tuple(h.number)
        in_toc = bool(toc_titles) and (title_key(h.text) in toc_titles or title_key(h.title) in toc_titles)
        if kind == "toc":
            ok = True
        elif toc_titles:
            ok = in_toc
        elif in_control:
            ok = in_control_prefix is not None and num is not None and _successor(in_control_prefix, num)
        else:
            ok = num is not None and (_successor(last_struct, num) or (num == (1,) and last_struct is not None))
        if ok:
            accepted.append(h)
            if num is not None:
                last_struct = num
            if in_control and not (in_control_prefix and num and num[:len(in_control_prefix)] == in_control_prefix):
                in_control, in_control_prefix = False, None

    return Layout(_sections(text, accepted), toc, revision, lines)


def _sections(text: str, headings: list[Heading]) -> list[Section]:
    sections: list[Section] = []
    if not headings or text[:headings[0].start].strip():
        first = headings[0].start if headings else len(text)
        sections.append(Section(0, None, 0, 0, first))
    for k, h in enumerate(headings):
        end = headings[k + 1].start if k + 1 < len(headings) else len(text)
        sections.append(Section(len(sections), h, h.start, min(h.end + 1, end), end))
    # Facts under an unnumbered-control subsection inherit the enclosing control.
    open_ctrl: tuple[tuple[int, ...] | None, str] | None = None
    for sec in sections:
        h = sec.heading
        if h is None:
            continue
        num = _num_tuple(h.number)
        if h.control_ids:
            sec.fact_control_id = h.control_ids[0]
            open_ctrl = (num if h.id_source == "heading_bracket" else None, h.control_ids[0])
        elif open_ctrl and open_ctrl[0] and num and len(num) > len(open_ctrl[0]) and num[:len(open_ctrl[0])] == open_ctrl[0]:
            sec.fact_control_id = open_ctrl[1]
        else:
            open_ctrl = None
    return sections
