"""Rows of the ``controls`` table: explicit ids from headings, and controls
inferred for sections whose heading names no number but plainly covers one.

Inference compares the heading, on Sudachi-normalised tokens, with the
catalogue. Precision matters more than recall, and what counts as "plainly
covers" depends on the document:

* a document about its security controls (it cites ISO/IEC 27001/27017, JIS
  Q 27017, ISMS or 管理策) may use the usual whitepaper phrasings: a heading
  equal to a catalogue title, English title or alias (confidence 0.95), or
  ending with one after a modifier (``通信とデータの暗号化``; 0.8);
* any other page (an SLA, a help article) names a control only by repeating a
  catalogue title (Japanese or English) almost word for word (0.9).

Only accepted headings are looked at (never list items or body text), and
parent chapters of explicit control sections and documents that number their
sections by control themselves are skipped.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .catalog import Catalog, Control, title_key
from .nlp import tokenize
from .segment import Section

EXACT, TITLE_ONLY, AFFIX = 0.95, 0.9, 0.8
MIN_CONFIDENCE = 0.75
MIN_AFFIX_NAME = 3            # a shorter catalogue name is no evidence inside a longer heading
_TRAILING = ("について", "に関して", "に関する事項", "の方針", "方針", "等", "など")
# A document about its security controls: it cites the standards or speaks of 管理策.
ABOUT_CONTROLS = re.compile(r"(?:ISO\s*/?\s*IEC|JIS\s*Q)\s*270(?:01|02|17|18)|ISMS|管理策", re.I)


@lru_cache(maxsize=4096)
def sudachi_key(text: str) -> str:
    """Heading key on Sudachi normalised forms (サーバ = サーバー, 脆弱性 = ぜい弱性)."""
    key = title_key(text)
    if not key:
        return ""
    # Honorific prefixes (ご報告, お客様) and the particle の (サービスの監視 =
    # サービス監視) do not change what a heading is about.
    return title_key("".join(t.normalized for t in tokenize(key)
                             if not (t.pos.startswith("接頭辞") and t.normalized == "御")
                             and not (t.surface == "の" and t.pos.startswith("助詞"))))


def _names(control: Control, with_aliases: bool) -> list[str]:
    titles = [control.title_ja, control.title_en]
    return titles + list(control.aliases) if with_aliases else titles


@lru_cache(maxsize=2)
def _name_keys(catalog: Catalog, with_aliases: bool) -> list[tuple[str, Control]]:
    out = []
    for c in catalog:
        for name in _names(c, with_aliases):
            k = sudachi_key(name)
            if k:
                out.append((k, c))
    out.sort(key=lambda kc: -len(kc[0]))
    return out


def _variants(title: str) -> set[str]:
    key = sudachi_key(title)
    variants = {key}
    for suffix in _TRAILING:
        sk = sudachi_key(suffix)
        if sk and key.endswith(sk) and len(key) > len(sk) + 1:
            variants.add(key[: -len(sk)])
    return variants


def infer_control(title: str, catalog: Catalog, about_controls: bool = True) -> tuple[Control, float] | None:
    """The control a heading's title plainly names, with a confidence; see the
    module doc for the two readings (*about_controls* or not).  Among the
    catalogue's names (longest first) the first with the best score wins."""
    variants = _variants(title)
    first = _first_of_key(catalog, about_controls)
    exact = [first[v] for v in variants if v in first]
    if exact:
        score = EXACT if about_controls else TITLE_ONLY
        return (_name_keys(catalog, about_controls)[min(exact)][1], score) if score >= MIN_CONFIDENCE else None
    if not about_controls:
        return None
    # a name that begins or ends a variant: looked up by the variant's own
    # prefixes and suffixes rather than by trying every name of the catalogue
    affix = [first[k] for v in variants for n in range(MIN_AFFIX_NAME, len(v))
             for k in (v[:n], v[-n:]) if k in first]
    if affix and AFFIX >= MIN_CONFIDENCE:
        return _name_keys(catalog, about_controls)[min(affix)][1], AFFIX
    return None


@lru_cache(maxsize=2)
def _first_of_key(catalog: Catalog, with_aliases: bool) -> dict[str, int]:
    """Each name key's first position in :func:`_name_keys` (the one a tie goes to)."""
    out: dict[str, int] = {}
    for i, (key, _) in enumerate(_name_keys(catalog, with_aliases)):
        out.setdefault(key, i)
    return out


def control_rows(doc_id: str, sections: list[Section], text: str, catalog: Catalog, page_of) -> list[dict]:
    rows: list[dict] = []
    n_explicit = sum(1 for s in sections if s.control_ids)
    explicit = n_explicit > 0
    about_controls = bool(ABOUT_CONTROLS.search(text))

    def add(sec: Section, cid: str, source: str, confidence: float):
        c = catalog[cid]
        rows.append(dict(
            doc_id=doc_id, control_id=cid, framework=c.framework, catalog_title=c.title_ja,
            heading=sec.heading.text, section_index=sec.index, id_source=source,
            confidence=confidence, text=text[sec.body_start:sec.end].strip(),
            page_start=page_of(sec.start), page_end=page_of(max(sec.start, sec.end - 1)),
            control_2022=c.control_2022,
        ))

    for k, sec in enumerate(sections):
        h = sec.heading
        if h is None:
            continue
        for cid in h.control_ids:
            add(sec, cid, h.id_source or "heading_bracket", 1.0)
        if h.control_ids or h.unknown or sec.fact_control_id:
            continue
        # A document that maps its sections to control numbers itself has
        # said which controls it covers: inference would second-guess it.
        if n_explicit >= 3 or (explicit and _is_parent_chapter(sections, k)):
            continue
        found = infer_control(h.title, catalog, about_controls)
        if found:
            add(sec, found[0].control_id, "inferred", found[1])
    return rows


def _is_parent_chapter(sections: list[Section], k: int) -> bool:
    """True when the next heading is a control heading: the section is a
    chapter title over explicit controls, not a control of its own."""
    nxt = sections[k + 1] if k + 1 < len(sections) else None
    return nxt is not None and bool(nxt.control_ids)
