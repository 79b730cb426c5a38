"""Text normalisation with an offset map back to the source.

The pipeline matches on one canonical form of the text:

* Unicode NFKC (full-width ASCII and digits become half-width, half-width
  katakana become full-width, Kangxi radicals U+2F00-U+2FD5 become ideographs);
* the CJK Radicals Supplement characters (U+2E80-U+2EFF) that have an
  ideograph twin, which NFKC leaves alone (Word exports write ⻑ for 長);
* the wave-dash family (〜 ～ ~ ∼ 〰) as ASCII ``~``;
* line ends as ``\\n``; other control characters (except tab) dropped.

:func:`normalize` returns the normalised string and, for every normalised
character, the offset of the source character it came from, so that evidence
offsets can be mapped back to PDF pages.
"""
from __future__ import annotations

import unicodedata
from array import array
from dataclasses import dataclass
from functools import lru_cache

# CJK Radicals Supplement -> unified ideograph (facts from Unicode's
# EquivalentUnifiedIdeograph data; only radicals with a BMP twin are listed).
_RADICAL_SUPPLEMENT = {
    0x2E81: 0x5382, 0x2E84: 0x4E59, 0x2E85: 0x4EBB, 0x2E86: 0x5182, 0x2E89: 0x5202,
    0x2E8A: 0x535C, 0x2E8C: 0x5C0F, 0x2E8E: 0x5C22, 0x2E8F: 0x5C23, 0x2E90: 0x5C22,
    0x2E92: 0x5DF3, 0x2E93: 0x5E7A, 0x2E94: 0x5F51, 0x2E96: 0x5FC4, 0x2E97: 0x5FC3,
    0x2E98: 0x624C, 0x2E99: 0x6535, 0x2E9B: 0x65E1, 0x2E9D: 0x6708, 0x2E9E: 0x6B7A,
    0x2E9F: 0x6BCD, 0x2EA0: 0x6C11, 0x2EA1: 0x6C35, 0x2EA2: 0x6C3A, 0x2EA3: 0x706C,
    0x2EA4: 0x722B, 0x2EA6: 0x4E2C, 0x2EA7: 0x725B, 0x2EA8: 0x72AD, 0x2EA9: 0x738B,
    0x2EAB: 0x7F52, 0x2EAC: 0x793A, 0x2EAD: 0x793B, 0x2EAF: 0x7CF9, 0x2EB0: 0x7E9F,
    0x2EB1: 0x7F53, 0x2EB2: 0x7F52, 0x2EB6: 0x7F8A, 0x2EB9: 0x8002, 0x2EBA: 0x8080,
    0x2EBB: 0x807F, 0x2EBC: 0x8089, 0x2EBD: 0x81FC, 0x2EBE: 0x8279, 0x2EBF: 0x8279,
    0x2EC0: 0x8279, 0x2EC1: 0x864E, 0x2EC2: 0x8864, 0x2EC3: 0x8980, 0x2EC4: 0x897F,
    0x2EC5: 0x89C1, 0x2EC6: 0x89D2, 0x2EC8: 0x8BA0, 0x2EC9: 0x8D1D, 0x2ECB: 0x8F66,
    0x2ECC: 0x8FB6, 0x2ECD: 0x8FB6, 0x2ECE: 0x8FB6, 0x2ECF: 0x961D, 0x2ED0: 0x9485,
    0x2ED1: 0x9577, 0x2ED2: 0x9578, 0x2ED3: 0x957F, 0x2ED4: 0x95E8, 0x2ED6: 0x961D,
    0x2ED7: 0x96E8, 0x2ED8: 0x9752, 0x2ED9: 0x97E6, 0x2EDA: 0x9875, 0x2EDB: 0x98CE,
    0x2EDC: 0x98DE, 0x2EDD: 0x98DF, 0x2EDF: 0x98E0, 0x2EE0: 0x9963, 0x2EE2: 0x9A6C,
    0x2EE3: 0x9AA8, 0x2EE4: 0x9B3C, 0x2EE5: 0x9C7C, 0x2EE6: 0x9E1F, 0x2EE7: 0x5364,
    0x2EE8: 0x9EA6, 0x2EE9: 0x9EC4, 0x2EEA: 0x9EFE, 0x2EEB: 0x6589, 0x2EEC: 0x9F50,
    0x2EED: 0x6B6F, 0x2EEE: 0x9F7F, 0x2EEF: 0x7ADC, 0x2EF0: 0x9F99, 0x2EF1: 0x9F9C,
    0x2EF2: 0x4E80, 0x2EF3: 0x9F9F,
}
_WAVE_DASHES = "〜～∼〰~"
_FIXUPS = {cp: chr(to) for cp, to in _RADICAL_SUPPLEMENT.items()}
_FIXUPS.update({ord(c): "~" for c in _WAVE_DASHES})
_FIXUPS.update({0x2212: "-", 0x2010: "-", 0x2011: "-", 0x00A0: " ", 0x3000: " "})
_FIXUPS.update({0xFEFF: "", 0x200B: "", 0x200C: "", 0x200D: "", 0x2060: "", 0x00AD: ""})

# Characters that NFKC may fuse with the previous one (combining marks and the
# half-width katakana sound marks): they are normalised together with it.
_HALFWIDTH_MARKS = {"\uff9e", "\uff9f"}


def _joins_previous(ch: str) -> bool:
    return ch in _HALFWIDTH_MARKS or unicodedata.combining(ch) != 0


def _clean_char(ch: str) -> str:
    cp = ord(ch)
    if cp in _FIXUPS:
        return _FIXUPS[cp]
    if 0xD800 <= cp <= 0xDFFF:          # lone surrogates from lenient decoders
        return "\ufffd"
    if ch in "\t\n":
        return ch
    if unicodedata.category(ch) == "Cc":
        return " " if ch in "\x0b\x0c" else ""
    return ch


@dataclass(frozen=True)
class Normalized:
    """Normalised text plus ``source[i]``: the source offset of ``text[i]``.

    ``source`` has one extra trailing entry (the source length) so that an
    end offset maps too.
    """

    text: str
    source: array

    def to_source(self, offset: int) -> int:
        offset = min(max(offset, 0), len(self.text))
        return self.source[offset]


def normalize_text(text: str) -> str:
    """Only the normalised string (for headings, titles and small snippets):
    what :func:`normalize` gives, without its offset map, by one
    ``str.translate`` over a table of every character's piece that fills
    itself as characters are met (a document's headings and lines are keyed
    by the thousand: no Python-level work per character once seen)."""
    try:
        return text.translate(_PIECES)
    except _JoinsNeighbour:
        return _normalize_clusters(text).text


class _JoinsNeighbour(Exception):
    """A character normalised together with its neighbour (or a CR)."""


class _PieceTable(dict):
    """Code point -> what the character normalises to on its own; a
    character that joins its neighbour (or CR) raises _JoinsNeighbour (not a
    LookupError, which translate would take for "unchanged") and is never
    stored, so it raises every time."""

    def __missing__(self, cp: int) -> str:
        ch = chr(cp)
        if ch == "\r" or _joins_previous(ch):
            raise _JoinsNeighbour
        piece = self[cp] = _piece(ch)
        return piece


_PIECES = _PieceTable()


def normalize(text: str) -> Normalized:
    """Normalise *text* (see module doc) keeping an offset map to the source."""
    chars = set(text)
    if "\r" in chars or any(_joins_previous(c) for c in chars):
        return _normalize_clusters(text)
    # No character joins its neighbour: each one normalises alone, so a table
    # of the distinct characters does it (one NFKC call per distinct character
    # instead of one per character); the offset map is the identity except
    # after characters that vanish or expand.
    table = {c: _piece(c) for c in chars}
    changed = {c: p for c, p in table.items() if p != c}
    if not changed:
        return Normalized(text, _identity(len(text) + 1))
    if all(len(p) == 1 for p in changed.values()):
        return Normalized(text.translate({ord(c): p for c, p in changed.items()}), _identity(len(text) + 1))
    out: list[str] = []
    src = array("l")
    odd = {c for c, p in changed.items() if len(p) != 1}
    trans = {ord(c): p for c, p in changed.items() if c not in odd}
    prev = 0
    for i, ch in enumerate(text):
        if ch in odd:
            if i > prev:
                out.append(text[prev:i].translate(trans))
                src.extend(range(prev, i))
            piece = table[ch]
            out.append(piece)
            src.extend([i] * len(piece))
            prev = i + 1
    out.append(text[prev:].translate(trans))
    src.extend(range(prev, len(text)))
    src.append(len(text))
    return Normalized("".join(out), src)


def _identity(n: int) -> array:
    """``array("l", range(n))``, built by numpy from bytes: an array built
    from a range converts every int in Python (a third of the time of
    normalising a document without combining marks)."""
    if n < 256:                     # (numpy's own overhead is larger there)
        return array("l", range(n))
    import numpy as np              # (already imported by pyarrow)
    return array("l", np.arange(n, dtype=f"=i{_LONG_BYTES}").tobytes())


_LONG_BYTES = array("l").itemsize


@lru_cache(maxsize=None)
def _piece(ch: str) -> str:
    """What one character (that joins with no neighbour) normalises to."""
    return "".join(_FIXUPS.get(ord(c), c) for c in unicodedata.normalize("NFKC", _clean_char(ch)))


def _normalize_clusters(text: str) -> Normalized:
    """The general case: a character and the marks that join it (combining
    marks, half-width sound marks) are normalised together; CR LF and CR
    become LF."""
    out: list[str] = []
    src = array("l")
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and _joins_previous(text[j]):
            j += 1
        if text[i] == "\r":
            piece = "" if j < n and text[j] == "\n" else "\n"
        else:
            piece = unicodedata.normalize("NFKC", "".join(_clean_char(c) for c in text[i:j]))
        for ch in piece:
            ch = _FIXUPS.get(ord(ch), ch)
            if ch:
                out.append(ch)
                src.append(i)
        i = j
    src.append(n)
    return Normalized("".join(out), src)
