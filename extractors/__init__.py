"""Fact extractors: one module per kind of fact, registered by name.

An extractor is a function ``extract(ctx: SectionContext) -> list[dict]``
returning rows of one table (see ``pipeline.schema``). Adding one means
writing a module with a function decorated ``@register("name", "table", dedupe_key)``
(``dedupe_key`` names one fact, so that a fact stated twice becomes one row;
it is not the change-tracking key of ``pipeline.ingest``) and
listing the module in ``_MODULES`` below.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from pipeline.schema import TABLES

REGISTRY: dict[str, tuple[str, Callable, Callable]] = {}   # name -> (table, extract, dedupe key)
_MODULES = ("retention", "time_targets", "timezones")

# Cheap first pass: sentences that can hold a fact at all.
CANDIDATE_RE = re.compile(
    r"\d|[一二三四五六七八九十百]|世代|日次|週次|月次|年次|毎[日週月年時晩夜朝夕]|即日|当日|%|時刻|時間|標準時|JST|UTC|GMT|"
    r"一定期間|期間|期限|区切|削除|消去|NTP")
QUESTION_RE = re.compile(r"^\s*(?:Q\s*\d*\s*[.:)]|質問\s*[:.]|問\s*\d*\s*[.:])|\?\s*[」)]?\s*$"
                         r"|(?:ます|です|でしょう|ません)か\s*。?\s*$")
_GOAL_PART = re.compile(r"目標|SLO|SLA|サービスレベル")


def register(name: str, table: str, dedupe_key: Callable[[dict], tuple]):
    if table not in TABLES:
        raise ValueError(f"unknown table {table}")

    def deco(func):
        REGISTRY[name] = (table, func, dedupe_key)
        return func
    return deco


@dataclass
class SectionContext:
    doc_id: str
    text: str                     # the document's normalised text
    section: object               # pipeline.segment.Section
    sentences: list               # pipeline.nlp.Sentence of this section
    page_of: Callable[[int], int | None]
    control_id: str | None
    headings: list[str]           # this section's heading first, then enclosing ones
    goal_part: bool = False       # under a heading that declares service-level targets
    _candidates: list | None = field(default=None, init=False, repr=False, compare=False)

    def base(self, sent, start: int | None = None, end: int | None = None) -> dict:
        s = sent.start if start is None else start
        e = sent.end if end is None else end
        return dict(doc_id=self.doc_id, control_id=self.control_id, evidence=self.text[s:e],
                    char_start=s, char_end=e, page=self.page_of(s))

    def candidates(self):
        """(index, sentence) of the sentences worth a closer look (a question
        states no fact: Q. ログを3年間保管してもらえますか?).  Every extractor
        asks: the sentences are sifted once per section, each caller gets a
        list of its own."""
        if self._candidates is None:
            self._candidates = [(i, s) for i, s in enumerate(self.sentences)
                                if CANDIDATE_RE.search(s.text) and not QUESTION_RE.search(s.text)]
        return list(self._candidates)


def _load_modules() -> None:
    import importlib
    for m in _MODULES:
        importlib.import_module(f"{__name__}.{m}")


def _number_of(section) -> tuple[int, ...] | None:
    h = section.heading
    if h is None or not h.number:
        return None
    try:
        return tuple(int(x) for x in re.split(r"[.\-]", h.number.replace("CLD.", "").strip(".")))
    except ValueError:
        return None


def _heading_chain(sections, k: int, numbers: list) -> list[str]:
    """This section's heading title, then the titles of its numbered parents
    (*numbers*: ``_number_of`` of every section, computed once per document)."""
    sec = sections[k]
    out = [sec.heading.title] if sec.heading else []
    num = numbers[k]
    if num is None:
        return out
    for j in range(k - 1, -1, -1):
        pn = numbers[j]
        if pn is not None and len(pn) < len(num) and num[:len(pn)] == pn:
            out.append(sections[j].heading.title)
            num = pn
    return out


def dedupe(rows: list[dict], key: Callable[[dict], tuple]) -> list[dict]:
    """One row per fact: a fact stated twice keeps its first direct statement
    (a sentence that only refers to another section loses to the original)."""
    ref = re.compile(r"記載の通り|記載のとおり|参照|同様に|前述|上記の通り")
    best: dict[tuple, dict] = {}
    order: list[tuple] = []
    for r in rows:
        k = key(r)
        if k not in best:
            best[k] = r
            order.append(k)
            continue
        kept, other = best[k], r
        if ref.search(kept["evidence"]) and not ref.search(r["evidence"]):
            kept, other = r, kept
        # The same fact stated twice: what one statement leaves open (the
        # backup interval, the anchor), the other may give.
        merged = dict(kept, **{c: other[c] for c in _FILLABLE if kept.get(c) is None and other.get(c) is not None})
        if _windows(kept.get("clock")) and _windows(other.get("clock")):
            # several windows of one kind (平日 9:00-21:30, 土日 9:00-17:00): one row, every window
            merged["clock"] = ",".join(dict.fromkeys(kept["clock"].split(",") + other["clock"].split(",")))
        best[k] = merged
    return [best[k] for k in order]


def _windows(clock) -> bool:
    return isinstance(clock, str) and all("-" in w for w in clock.split(","))


_FILLABLE = ("frequency", "days", "clock", "days_of_week", "timezone", "sync_source")


_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def from_unsure_number(row: dict, text: str, unsure: frozenset[int]) -> bool:
    """Did the row's value come from a number OCR was unsure of?  Its
    evidence holds an unsure number, and no sure number there equals the
    value (a value built from several numbers, 1時間30分 -> 90, or a clock
    counts as unsure as soon as one of them is)."""
    if row.get("value") is None and not row.get("clock") and "utc_offset" not in row:
        return False                  # no number in the fact (無期限, 日本標準時)
    start, end = row["char_start"], row["char_end"]
    if not unsure or not any(k in unsure for k in range(start, end)):
        return False
    shaky, sure = False, set()
    for m in _NUMBER.finditer(text, start, end):
        if any(k in unsure for k in range(m.start(), m.end())):
            shaky = True
        else:
            try:
                sure.add(float(m.group().replace(",", "")))
            except ValueError:
                pass
    return shaky and row.get("value") not in sure


def run_extractors(doc_id, text, sections, sentences, page_of, timer=None,
                   unsure: frozenset[int] = frozenset()) -> dict[str, list[dict]]:
    """Every registered extractor over every section; a fact whose value came
    from a number OCR was unsure of (``unsure``: offsets of such digits in
    ``text``) is refused rather than guessed."""
    _load_modules()          # every module, even when one was imported on its own before
    out: dict[str, list[dict]] = {table: [] for table, _, _ in REGISTRY.values()}
    goal = False
    numbers = [_number_of(s) for s in sections]
    for k, sec in enumerate(sections):
        h = sec.heading
        if h is not None and not h.number and not h.control_ids:
            goal = bool(_GOAL_PART.search(h.title))
        ctx = SectionContext(doc_id, text, sec, sentences[sec.index], page_of, sec.fact_control_id,
                             _heading_chain(sections, k, numbers), goal)
        for name, (table, func, _) in REGISTRY.items():
            if timer:
                with timer(f"extract:{name}"):
                    out[table].extend(func(ctx))
            else:
                out[table].extend(func(ctx))
    for table, _, key in REGISTRY.values():
        rows = [r for r in out[table] if not from_unsure_number(r, text, unsure)] if unsure else out[table]
        out[table] = dedupe(rows, key)
    return out
