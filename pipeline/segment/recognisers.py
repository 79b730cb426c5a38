"""Heading recognisers: one small named object per heading style.

Each recogniser has an example of the lines it finds, a ``match`` that
turns a line into a candidate :class:`Heading` (or says the line is no
heading at all, :data:`STOP`), and an ``accept`` rule that decides, once
the whole document has been seen (:class:`Evidence`) and in document
order (:class:`Walk`), whether the candidate is a heading.

:data:`RECOGNISERS` is tried in order on every line; the first that
matches wins. A new heading style is one entry here plus one row in the
test table of ``tests/test_segment.py``.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

from ..catalog import canonical_id, title_key
from .ids import (CELL_ID, CELL_IDS, CITE_PREFIX, CITES_STANDARD, CONTROL_CLAUSES, EXPLICIT_ID_START,
                  ID_LIST_HEADING, ID_RE, NUMBER_HEADING, TITLE_AGREES, TITLE_AGREES_IN_CONTROL_NUMBERED,
                  Resolver, cid_kind, edge_brackets, labelled_ids, parse_ids)
from .lines import SENTENCE_END, next_line_starts, numbered, strip_number
from .model import Heading, num_tuple

STOP = object()       # a match result: the line is no heading, try no other recogniser

_DECORATION = re.compile(r"^[■□◆◇▶▷▼▽◎]\s*")
_BULLET = re.compile(r"^([・\-‐*•●○◯※→⇒>]|\(\d+\)|\d+\))")
# An unnumbered heading set off by a mark or brackets: ``◆ 情報のバックアップ``,
# ``【ログの管理】``, ``(1) バックアップ``.
_MARKED_TITLE = re.compile(r"^(?P<mark>[■□◆◇▶▷▼▽◎●○★☆◉◼▪])\s*(?P<title>[^\s\d].{0,39})$"
                           r"|^(?P<open>[【〔《<\[])\s*(?P<btitle>[^\d\]】〕》>]{1,30}?)\s*[】〕》>\]]$"
                           r"|^(?P<paren>\()\d{1,2}\)\s*(?P<ptitle>[^\d\s].{0,24})$")
_MARKDOWN = re.compile(r"^(?P<mark>#{1,6})\s+(?P<title>\S.{0,60})$")
_CHAPTER_PREFIX = re.compile(r"^第\s*\d{1,2}\s*[章節部]\s*")
_CELL_SPLIT = {"\t": re.compile(r"\t"), "|": re.compile(r"\s*\|\s*")}
_ROW_LEAD = re.compile(r"\d{1,3}\.?")              # a row number cell
MIN_MARKED = 3                 # a mark must set off this many lines to be a heading style
MIN_CITED = 3                  # a document citing this many controls in its headings is control-structured
MAX_HEADING = 80
MAX_HEADING_CITED = 160        # CLD.6.3.1 Shared roles and responsibilities ...(クラウドコンピューティング環境における…)
MAX_CELL_TITLE = 60


@dataclass
class Line:
    """A logical line (a heading split over two lines is joined)."""
    idx: int
    start: int
    end: int
    text: str
    lines: list                   # every line of the document, for look-ahead

    @property
    def raw(self) -> str:
        return self.lines[self.idx][2]

    _body: str | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def body(self) -> str:
        """The text without a leading decoration mark (■ 5.3 ...); kept, as
        most recognisers ask for it (by hand: functools.cached_property takes
        a lock on Python 3.11)."""
        if self._body is None:
            self._body = _DECORATION.sub("", self.text)
        return self._body


@dataclass
class Evidence:
    """What the whole document says about its headings."""
    resolver: Resolver
    toc_titles: set[str]
    catalogue_numbered: bool      # its bare x.y.z numbers are control numbers
    bare_style: bool              # ... plainly so: a title may then differ more from the catalogue's
    n_cited: int
    marks: Counter
    cited_marks: Counter

    @classmethod
    def of(cls, cands: list[tuple[Heading, "Recogniser"]], text: str, toc_titles: set[str],
           resolver: Resolver) -> "Evidence":
        catalog = resolver.catalog
        cited = [h for h, _ in cands if h.cited]
        explicit = [h for h in cited if h.style != "bare"
                    and (canonical_id(*h.cited) in catalog or resolver.correction(canonical_id(*h.cited), h.title))]
        bare = [h for h in cited if h.style == "bare"]
        agree = [h for h in bare if catalog.title_matches(canonical_id(*h.cited), h.title, TITLE_AGREES)]
        # Whether bare numbers are the catalogue's is one decision per
        # document: most of its numbered titles agree with the catalogue, or
        # it cites the standard and a good share of them do.
        cites = bool(CITES_STANDARD.search(text))
        catalogue_numbered = bool(agree) and (2 * len(agree) >= len(bare) or (cites and 4 * len(agree) >= len(bare)))
        strict = explicit + (agree if catalogue_numbered else [])
        bracketed = [h for h, _ in cands if not h.cited and h.control_ids]
        marks = Counter(h.style for h, r in cands if r.name == "marked")
        # the mark of the document's control headings (■ 12.3.1 ...) also sets off its other headings
        cited_marks = Counter(h.text[0] for h in strict + bracketed if _DECORATION.match(h.text))
        n_cited = len(strict) + len(bracketed)
        return cls(resolver, toc_titles, catalogue_numbered, len(strict) >= MIN_CITED, n_cited, marks, cited_marks)


@dataclass
class Walk:
    """Where the document order has got to: the last structural number, and
    whether a control heading is open (its sub-numbers belong to it)."""
    last_struct: tuple[int, ...] | None = None
    in_control: bool = False
    in_control_prefix: tuple[int, ...] | None = None


@dataclass(frozen=True)
class Recogniser:
    name: str
    example: str
    match: Callable[[Line, Resolver], object]          # -> Heading | None | STOP
    accept: Callable[[Heading, Evidence, Walk], bool] = field(default=lambda h, ev, walk: True)


# --- acceptance rules ------------------------------------------------------------------

def _successor(prev: tuple[int, ...] | None, cand: tuple[int, ...]) -> bool:
    if prev is None:
        return cand[0] in (0, 1) and all(x == 1 for x in cand[1:])
    if cand == prev + (1,):
        return True
    return any(cand == prev[:k] + (prev[k] + 1,) for k in range(len(prev)))


def accept_numbered(h: Heading, ev: Evidence, walk: Walk) -> bool:
    """The document's own numbering: a heading when it follows the numbers
    before it (or the table of contents lists it); not one of a list."""
    num = num_tuple(h.number)
    if h.list_item:
        return False
    if ev.toc_titles:
        ok = title_key(h.text) in ev.toc_titles or title_key(h.title) in ev.toc_titles
    elif walk.in_control:
        ok = walk.in_control_prefix is not None and num is not None and _successor(walk.in_control_prefix, num)
    else:
        ok = num is not None and (_successor(walk.last_struct, num) or (num == (1,) and walk.last_struct is not None)
                                  or h.opens_sequence)
    return ok and _take_structural(num, walk)


def accept_toc(h: Heading, ev: Evidence, walk: Walk) -> bool:
    """An unnumbered line that the table of contents lists."""
    return bool(ev.toc_titles) and title_key(h.title) in ev.toc_titles and _take_structural(None, walk)


def _take_structural(num: tuple[int, ...] | None, walk: Walk) -> bool:
    """A structural heading moves the walk on, and closes an open control
    unless it is numbered below it."""
    if num is not None:
        walk.last_struct = num
    prefix = walk.in_control_prefix
    if walk.in_control and not (prefix and num and num[:len(prefix)] == prefix):
        walk.in_control, walk.in_control_prefix = False, None
    return True


def accept_cited(h: Heading, ev: Evidence, walk: Walk) -> bool:
    """A heading that opens with a control number: an explicit id the
    catalogue has (or plainly means), or a bare number in a document whose
    numbering is the catalogue's. Otherwise it is the document's own number."""
    catalog, resolver = ev.resolver.catalog, ev.resolver
    cid = canonical_id(*h.cited)
    if h.style != "bare":
        ok = cid in catalog or resolver.correction(cid, h.title) is not None
    elif cid in catalog:
        lax = TITLE_AGREES_IN_CONTROL_NUMBERED if ev.bare_style else TITLE_AGREES
        ok = ev.catalogue_numbered and catalog.title_matches(cid, h.title, lax)
    else:           # a mis-citation, only where the document plainly numbers its headings by control
        ok = (ev.catalogue_numbered and ev.bare_style and int(h.cited[1]) in CONTROL_CLAUSES
              and resolver.correction(cid, h.title) is not None)
    if ok:
        resolver.resolve(h, [h.cited, *h.also], "heading_number")
        if h.control_ids:
            walk.in_control, walk.in_control_prefix = True, None
            return True
    m = numbered(_DECORATION.sub("", h.text))
    if not m:
        return False
    h.number, h.title = m.group("num"), m.group("title").strip()
    return accept_numbered(h, ev, walk)


def accept_bracketed(h: Heading, ev: Evidence, walk: Walk) -> bool:
    """Ids in brackets or after a label: a heading when they name controls
    (or ids the catalogue lacks, which are then reported)."""
    if not (h.control_ids or h.unknown):
        return False
    walk.in_control = bool(h.control_ids)
    walk.in_control_prefix = num_tuple(h.number)
    if walk.in_control_prefix:
        walk.last_struct = walk.in_control_prefix
    return True


def accept_marked(h: Heading, ev: Evidence, walk: Walk) -> bool:
    """A mark sets off headings when the document repeats it and cites (almost)
    no control numbers, or when its control headings carry the same mark."""
    repeated = ev.marks[h.style] >= MIN_MARKED and ev.n_cited < MIN_CITED
    return (repeated or ev.cited_marks[h.style] >= MIN_MARKED) and (
        not ev.toc_titles or title_key(h.title) in ev.toc_titles)


def accept_row(h: Heading, ev: Evidence, walk: Walk) -> bool:
    return accept_cited(h, ev, walk) if h.cited else accept_bracketed(h, ev, walk)


# --- matchers -----------------------------------------------------------------------

def _cells(raw: str) -> list[tuple[int, int, str]]:
    """(start, end, text) of the cells of a table row split by tabs or pipes."""
    out, pos = [], 0
    for m in _CELL_SPLIT["\t" if "\t" in raw else "|"].finditer(raw):
        out.append((pos, m.start(), raw[pos:m.start()]))
        pos = m.end()
    out.append((pos, len(raw), raw[pos:]))
    if out and not out[0][2].strip() and raw.lstrip().startswith("|"):
        out = out[1:]                                  # | a | b |: no cell before the first pipe
    return out


def _is_row(raw: str) -> bool:
    return "\t" in raw or raw.count("|") >= 2


def match_table_row(line: Line, resolver: Resolver):
    """Whitepapers laid out as a table put one control per row:
    ``[No.]<tab>12.3.1<tab>情報のバックアップ<tab>当社は…`` (or pipes). The id
    and title cells are the heading; the cells after them are the body."""
    raw = line.raw
    if not _is_row(raw):
        return None
    cells = _cells(raw)
    lead = 0
    while lead < len(cells) and (not cells[lead][2].strip() or _ROW_LEAD.fullmatch(cells[lead][2].strip())):
        lead += 1
    if lead >= len(cells) - 1:
        return None
    cell = cells[lead][2].strip()
    m = CELL_ID.match(cell)
    ids = [m.groups()] if m else (parse_ids(cell) if CELL_IDS.fullmatch(cell) else [])
    start = line.start
    if not ids:
        # a checklist row: 12<tab>バックアップを取得しているか(A.12.3.1)<tab>〇<tab>毎日取得
        run = edge_brackets(cell)
        if run and run[1] >= len(cell) - 1 and run[0] > 0 and not SENTENCE_END.search(cell[:run[0]]):
            end = start + cells[lead][1]
            h = Heading(start, end, raw[:cells[lead][1]].strip(), None, cell[:run[0]].strip())
            resolver.resolve(h, parse_ids(cell[run[0]:run[1]]), "heading_bracket")
            return h
        return None
    title = cells[lead + 1][2].strip()
    if not title or len(title) > MAX_CELL_TITLE or ID_RE.search(title) or SENTENCE_END.search(title):
        return None
    end = start + cells[lead + 1][1]
    return Heading(start, end, raw[:cells[lead + 1][1]].strip(), cell.strip("【】 ").rstrip("."), title,
                   cited=ids[0], also=ids[1:], style=cid_kind(ids[0][0]))


def _id_part(body: str) -> str:
    """The line from its leading id on: after a chapter (第3章 CLD.8.1.5 ...)
    and a citation of the standard or a label (附属書A.12.4.1, 管理策 A.12.4.1)."""
    chapter = _CHAPTER_PREFIX.match(body)
    idpart = body[chapter.end():] if chapter and EXPLICIT_ID_START.match(body, chapter.end()) else body
    cite = CITE_PREFIX.match(idpart)
    return idpart[cite.end():] if cite and cite.end() else idpart


def match_soa_row(line: Line, resolver: Resolver):
    """A statement-of-applicability row on one line: an explicit id, the
    control's title as the catalogue has it, then the requirement, a mark and
    the reason (``A.5.1.1 情報セキュリティのための方針群 方針を… ○ 当社は…``)."""
    body = line.body
    idpart = _id_part(body)
    m = NUMBER_HEADING.match(idpart)
    if not m or not m.group(1):
        return None
    rest = m.group("title")
    cid = canonical_id(m.group(1), m.group(2), m.group(3), m.group(4))
    span = resolver.title_span(cid, rest)
    raw = line.raw
    if span is None or not rest[span:].strip() or line.end - line.start != len(raw):
        return None                                     # (a heading joined from two lines: left to the others)
    offset = len(line.text) - len(idpart) + m.start("title") + span        # where the title ends in the line
    lead = len(raw) - len(raw.lstrip())
    return Heading(line.start, line.start + lead + offset, line.text[:offset].strip(),
                   idpart[:m.start("title")].strip().rstrip("."), rest[:span].strip(),
                   cited=m.groups()[:4], style=cid_kind(m.group(1)))


def match_marked(line: Line, resolver: Resolver):
    m = _MARKED_TITLE.match(line.text)
    if not m:
        return None
    title = (m.group("title") or m.group("btitle") or m.group("ptitle")).strip()
    if not title or re.search(r"[。、,]", title) or SENTENCE_END.search(title) or ID_RE.search(title):
        return None
    mark = m.group("mark") or m.group("open") or m.group("paren")
    if next_line_starts(line.lines, line.idx, line.text[0]):
        return STOP                                     # an item of a list
    return Heading(line.start, line.end, line.text, None, title, style=mark)


def match_markdown(line: Line, resolver: Resolver):
    m = _MARKDOWN.match(line.text)
    if not m or ID_RE.search(m.group("title")):
        return None
    return Heading(line.start, line.end, line.text, None, m.group("title").strip(), style=m.group("mark"))


def match_body_line(line: Line, resolver: Resolver):
    """Too long for a heading, a bullet, or a row of a pipe table that names no control: body text."""
    t = line.text
    limit = MAX_HEADING_CITED if EXPLICIT_ID_START.match(t) and "。" not in t else MAX_HEADING
    return STOP if len(t) > limit or _BULLET.match(t) or t.count("|") >= 2 else None


def match_bracket(line: Line, resolver: Resolver):
    body = line.body
    run = edge_brackets(body)
    if not run:
        return None
    bs, be = run
    rest = (body[:bs] + " " + body[be:]).strip()
    if SENTENCE_END.search(rest):
        return None
    number, title = strip_number(rest)
    h = Heading(line.start, line.end, line.text, number, title)
    resolver.resolve(h, parse_ids(body[bs:be]), "heading_bracket")
    return h


def match_labelled_ids(line: Line, resolver: Resolver):
    body = line.body
    m = labelled_ids(body)
    if not m:
        return None
    rest = body[:m.start()].strip().rstrip("(（[【-–:：").strip()
    if not rest or SENTENCE_END.search(rest):
        return None                     # (a label line alone is joined to the heading before it, see lines.py)
    number, title = strip_number(rest)
    h = Heading(line.start, line.end, line.text, number, title)
    resolver.resolve(h, parse_ids(m.group("ids")), "heading_bracket")
    return h


def match_sentence(line: Line, resolver: Resolver):
    return STOP if SENTENCE_END.search(line.body) else None


def match_id_list(line: Line, resolver: Resolver):
    idpart = _id_part(line.body)
    m = ID_LIST_HEADING.match(idpart)
    if not m or ID_RE.search(m.group("title")):
        return None
    ids = parse_ids(m.group("ids"))
    return Heading(line.start, line.end, line.text, m.group("ids").strip(), m.group("title").strip(),
                   cited=ids[0], also=ids[1:], style=cid_kind(ids[0][0]))


def match_control_number(line: Line, resolver: Resolver):
    idpart = _id_part(line.body)
    m = NUMBER_HEADING.match(idpart)
    if not m or ID_RE.search(m.group("title")):
        return None
    number = idpart[:m.start("title")].strip().rstrip(".")
    return Heading(line.start, line.end, line.text, number, m.group("title").strip().lstrip(":-– ").strip(),
                   cited=m.groups()[:4], style=cid_kind(m.group(1)))


def match_numbered(line: Line, resolver: Resolver):
    m = numbered(line.body)
    # (a numbered row whose title cites a control is a cross-reference table: 2-1 (1)<tab>A.12.3.1 ...)
    if not m or len(m.group("title")) > MAX_CELL_TITLE or ID_RE.search(m.group("title")):
        return None
    return Heading(line.start, line.end, line.text, m.group("num"), m.group("title").strip())


def match_toc_title(line: Line, resolver: Resolver):
    # accepted only when the document's table of contents lists it (see accept_toc)
    if len(line.body) > MAX_CELL_TITLE:
        return None
    return Heading(line.start, line.end, line.text, None, line.body)


RECOGNISERS: tuple[Recogniser, ...] = (
    Recogniser("table_row", "A.12.3.1<tab>情報のバックアップ<tab>毎日取得しています", match_table_row, accept_row),
    Recogniser("soa_row", "A.5.1.1 情報セキュリティのための方針群 方針を定めること ○ 当社は方針を定めています",
               match_soa_row, accept_cited),
    Recogniser("marked", "◆ 情報のバックアップ", match_marked, accept_marked),
    Recogniser("markdown", "## バックアップについて", match_markdown),
    Recogniser("body_line", "・9.2.1 利用者登録及び登録削除 (a bullet, a long line or a table row: no heading)",
               match_body_line),
    Recogniser("bracket", "5.3. バックアップ【A.12.3.1】", match_bracket, accept_bracketed),
    Recogniser("labelled_ids", "ログの取得 管理策: A.12.4.1", match_labelled_ids, accept_bracketed),
    Recogniser("sentence", "当社はバックアップを取得しています。 (no heading)", match_sentence),
    Recogniser("id_list", "A.9.2.1 / A.9.2.2 利用者登録及び登録削除", match_id_list, accept_cited),
    Recogniser("control_number", "12.3.1 情報のバックアップ", match_control_number, accept_cited),
    Recogniser("numbered", "2.1 用語の定義", match_numbered, accept_numbered),
    Recogniser("toc_title", "用語の定義 (a line the table of contents lists)", match_toc_title, accept_toc),
)


def mark_sequences(cands: list[tuple[Heading, Recogniser]], text: str) -> None:
    """Relations between the document's own numbered lines, for acceptance:

    * lines that follow one another with no text between, on one level and in
      sequence (1. 日時 / 2. カテゴリー), are the items of a list;
    * a line followed by its first sub-number (5. 運用 ... 5.1 バックアップ)
      opens a sequence, wherever the numbering starts (an excerpt, a chapter).
    """
    own = [h for h, r in cands if r.name == "numbered" or (r.name == "control_number" and h.style == "bare")]
    for a, b in zip(own, own[1:]):
        na, nb = num_tuple(a.number), num_tuple(b.number)
        if (na and nb and len(na) == len(nb) and nb == na[:-1] + (na[-1] + 1,)
                and not text[a.end:b.start].strip()):
            a.list_item = b.list_item = True
    own = [h for h in own if not h.list_item]
    for a, b in zip(own, own[1:]):
        na, nb = num_tuple(a.number), num_tuple(b.number)
        a.opens_sequence = bool(na and nb and nb == na + (1,))
