"""Dependency-based helpers (GiNZA). Only called for the few candidate
sentences that the rules cannot settle alone, so spaCy is imported lazily."""
from __future__ import annotations

from extractors.lexicon import DELETE_RE, RETAIN_RE, subjects
from pipeline.nlp import Ginza

# the predicate's arguments, the core ones first: what is kept is its subject
# or object (バックアップデータは…消去します), not an oblique such as the point
# it is counted from (各データの消去から) or the place (本番環境及びバックアップから)
_ARG_RANK = {"nsubj": 0, "nsubj:pass": 0, "obj": 0, "dislocated": 0, "iobj": 1, "obl": 2, "nmod": 2}


def _token_at(doc, pos: int):
    for t in doc:
        if t.idx <= pos < t.idx + len(t.text):
            return t
    return None


def governing_verb(doc, tok):
    """Walk up from *tok* to the retention/deletion predicate that governs it."""
    seen = 0
    while tok is not None and seen < 12:
        if RETAIN_RE.search(tok.text) or DELETE_RE.search(tok.text):
            return tok
        if tok.head is tok:
            return None
        tok, seen = tok.head, seen + 1
    return None


def subject_by_parse(sentence: str, pos: int) -> str | None:
    """The subject class (logs/backups/customer_data) of the argument of the
    retention verb that governs the token at *pos*, by GiNZA's parse."""
    doc = Ginza.parse(sentence)
    tok = _token_at(doc, pos)
    verb = governing_verb(doc, tok) if tok is not None else None
    if verb is None:
        return None
    best = None
    for child in verb.children:
        rank = _ARG_RANK.get(child.dep_)
        if rank is None or child is tok:
            continue
        span = doc[child.left_edge.i: child.i + 1]
        found = subjects(span.text)
        if found:
            # the head noun's own class: the last subject word of the phrase
            key = (rank, abs(verb.i - child.i))
            if best is None or key < best[1]:
                best = (found[-1][0], key)
    return best[0] if best else None
