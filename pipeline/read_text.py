"""Decoding of text whitepapers: UTF-8 (with or without BOM), CP932/Shift_JIS,
EUC-JP, UTF-16 with BOM; CRLF/CR line ends become LF.

:func:`decode_text` returns the text and the encoding used; a file that is not
text (NUL bytes, many control characters) raises :class:`NotText`; a text that
no candidate decodes cleanly is decoded leniently and flagged ``fallback``.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

_CANDIDATES = ("utf-8", "cp932", "euc_jp", "iso2022_jp")
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


class NotText(ValueError):
    """The bytes are not a text document (binary data)."""


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str
    fallback: bool = False


def _utf16_without_bom(data: bytes) -> str | None:
    """The byte order of UTF-16 text written without a BOM, from its NUL
    bytes: ASCII code units (digits, spaces, line ends) have a zero high
    byte, at odd offsets in little-endian text and even ones in big-endian."""
    head = data[:4096]
    if len(head) < 4 or len(head) % 2:
        return None
    odd = head[1::2].count(0)
    even = head[0::2].count(0)
    half = len(head) // 2
    if odd > 0.3 * half and even < 0.02 * half:
        return "utf-16-le"
    if even > 0.3 * half and odd < 0.02 * half:
        return "utf-16-be"
    return None


def _kana_share(text: str) -> float:
    """Share of kana among the non-ASCII characters: Japanese prose is full
    of hiragana particles; Latin-1 bytes misread as CP932 give kanji only."""
    wide = [ch for ch in text if ord(ch) > 127]
    if not wide:
        return 1.0
    return sum(1 for ch in wide if 0x3040 <= ord(ch) <= 0x30FF) / len(wide)


# control characters but tab, LF, FF and CR, and the replacement character
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffd]")


def _control_ratio(text: str) -> float:
    """Share of control and replacement characters (counted by a regex, not
    a Python loop over the characters)."""
    if not text:
        return 0.0
    return len(_BAD_CHARS.findall(text)) / len(text)


def _japanese_score(text: str) -> float:
    """Share of characters that are kana, common kanji or ASCII text: a wrong
    legacy decoding yields rarer characters and half-width katakana."""
    if not text:
        return 0.0
    good = 0
    for ch in text:
        cp = ord(ch)
        if 0x3040 <= cp <= 0x30FF or 0x4E00 <= cp <= 0x9FFF or 32 <= cp < 127 or ch in "\n\t、。「」（）【】・":
            good += 1
    return good / len(text)


def decode_text(data: bytes) -> DecodedText:
    for bom, enc in _BOMS:
        if data.startswith(bom):
            text = data.decode(enc, errors="replace")
            return DecodedText(_lf(text), enc, "\ufffd" in text)
    if b"\x1b$B" in data or b"\x1b$@" in data:      # ISO-2022-JP is 7-bit: test it before UTF-8
        try:
            return _checked(DecodedText(_lf(data.decode("iso2022_jp")), "iso2022_jp"))
        except UnicodeDecodeError:
            pass
    utf16 = _utf16_without_bom(data)
    if utf16:
        try:
            text = data.decode(utf16)
            return _checked(DecodedText(_lf(text), utf16, fallback=True))
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:4096]:
        raise NotText("the file contains NUL bytes: it is binary, not text")
    decoded = []
    for enc in _CANDIDATES:
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        if enc == "utf-8":          # strict UTF-8 success is decisive
            return _checked(DecodedText(_lf(text), enc))
        decoded.append((_japanese_score(text), enc, text))
    if decoded:
        score, enc, text = max(decoded)
        # A legacy decoding that yields few kana/kanji is mojibake (Latin-1
        # bytes read as CP932): keep it, but flag it.
        return _checked(DecodedText(_lf(text), enc, fallback=score < 0.6 or _kana_share(text) < 0.1))
    text = data.decode("utf-8", errors="replace")
    return _checked(DecodedText(_lf(text), "utf-8", fallback=True))


def _checked(d: DecodedText) -> DecodedText:
    if _control_ratio(d.text[:20000]) > 0.05:
        raise NotText("the file is mostly control characters: it is binary, not text")
    return d


def _lf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
