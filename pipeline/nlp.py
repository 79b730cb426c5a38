"""Morphology and sentences.

* Sudachi (sudachidict-core, split mode C) tokenises every section; one
  tokenizer per process, created on first use.
* Sentences are cut by rule: at 。！？ outside brackets, and at line ends
  (a line is a paragraph, bullet or table row in our normalised text).
* GiNZA (spaCy ``ja_ginza``) is loaded lazily, once per process, with only the
  components the extractors use, and only parses the sentences that can hold a
  fact.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

SUDACHI_MAX_BYTES = 49_149 - 1_000      # Sudachi's input limit, with a margin
_OPEN, _CLOSE = "「『(（【[〔<", "」』)）】]〕>"
_ENDERS = "。！？!?"
_lock = threading.Lock()


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


class Token(NamedTuple):
    """A Sudachi morpheme (a tuple: tens of thousands are made per document)."""
    surface: str
    normalized: str
    lemma: str
    pos: str
    reading: str
    start: int
    end: int


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[Sentence]:
    """Sentences of ``text[start:end]`` with absolute offsets, stripped.

    Only the characters that can change the state (brackets, enders, line
    ends) are visited, found by a regex; between two of them an open bracket
    is given up (depth 0) once the sentence is over 400 characters long,
    exactly where a walk over every character would give it up."""
    end = len(text) if end is None else end
    out: list[Sentence] = []
    depth, s = 0, start
    prev = start - 1                            # the last character visited
    for m in _STATE_CHARS.finditer(text, start, end):
        i = m.start()
        if depth > 0 and i - 1 > prev and i - 1 - s > 400:
            depth = 0                           # runaway bracket, at a plain character before i
        ch = text[i]
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE and depth:
            depth -= 1
        if ch == "\n":
            _add(out, text, s, i)
            s, depth = i + 1, 0
        elif ch in _ENDERS and depth == 0:
            _add(out, text, s, i + 1)
            s = i + 1
        elif depth > 0 and i - s > 400:         # runaway bracket: give up nesting
            depth = 0
        prev = i
    _add(out, text, s, end)
    return out


_STATE_CHARS = re.compile("[" + re.escape(_OPEN + _CLOSE + _ENDERS) + "\n]")


def _add(out: list[Sentence], text: str, s: int, e: int) -> None:
    while s < e and text[s] in " \t\u3000":
        s += 1
    while e > s and text[e - 1] in " \t\u3000\n":
        e -= 1
    if e > s:
        out.append(Sentence(s, e, text[s:e]))


@lru_cache(maxsize=1)
def sudachi():
    from sudachipy import dictionary, tokenizer
    return dictionary.Dictionary(dict="core").create(mode=tokenizer.Tokenizer.SplitMode.C)


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Sudachi mode C tokens of *text*, offsets shifted by *offset*. Long input
    is cut into pieces below Sudachi's byte limit."""
    out: list[Token] = []
    tok = sudachi()
    pos_names = _POS_NAMES
    for piece_start, piece in _pieces(text):
        base = offset + piece_start
        with _lock:
            for m in tok.tokenize(piece):
                pid = m.part_of_speech_id()
                pos = pos_names.get(pid)
                if pos is None:
                    pos = pos_names[pid] = ",".join(p for p in m.part_of_speech() if p != "*")
                out.append(Token(m.surface(), m.normalized_form(), m.dictionary_form(), pos,
                                 m.reading_form(), base + m.begin(), base + m.end()))
    return out


_POS_NAMES: dict[int, str] = {}      # Sudachi part-of-speech id -> our comma-joined name


def _pieces(text: str):
    if len(text.encode("utf-8")) <= SUDACHI_MAX_BYTES:
        yield 0, text
        return
    pos = 0
    while pos < len(text):
        chunk = text[pos:pos + SUDACHI_MAX_BYTES // 4]
        yield pos, chunk
        pos += len(chunk)


class Ginza:
    """The GiNZA parser, loaded on first use (spaCy is imported only then)."""

    _nlp = None
    seconds = 0.0          # time spent loading and parsing, for the benchmarks
    calls = 0

    @classmethod
    def nlp(cls):
        if cls._nlp is None:
            with _lock:
                if cls._nlp is None:
                    import spacy
                    # bunsetu_recognizer stays: it turns the parser's raw labels
                    # (nsubj_bunsetu, obl_bunsetu) into the UD ones the extractors read
                    cls._nlp = spacy.load("ja_ginza", exclude=["ner", "compound_splitter", "morphologizer"])
        return cls._nlp

    @classmethod
    def parse(cls, text: str):
        import time
        t = time.perf_counter()
        try:
            return cls.nlp()(text[:2000])
        finally:
            cls.seconds += time.perf_counter() - t
            cls.calls += 1
