"""Answered checklists: only the provider's answer counts.

The METI クラウドサービスレベルのチェックリスト and security check sheets
that providers answer are tables whose template carries an example column
(設定例, 記入例: ``99.9%以上``, ``24時間365日``) beside the provider's own
answer (回答). The example is the template's, not the provider's promise, so
its cells are blanked (with spaces, offsets kept) before facts are read.

A header row is a table row (cells split by ``|`` or tabs) with an example
cell and an answer cell; the rows after it that have the same number of
cells lose their example cell, until a line that is no row of the table.
"""
from __future__ import annotations

import re
from dataclasses import replace

EXAMPLE_HEADER = re.compile(r"(?:サービスレベル)?(?:設定例|記入例|回答例|記載例|設定値の例|例)")
ANSWER_HEADER = re.compile(r"(?:当社|弊社|貴社|御社|事業者)?(?:の)?(?:回答|回答欄|記入欄|対応状況|対応内容|実績|提供内容)")
_SEPARATORS = ("|", "\t")


def _cells(line: str, sep: str) -> list[tuple[int, int]]:
    """(start, end) of each cell of a table row, within the line."""
    out, s = [], 0
    for i, ch in enumerate(line + sep):
        if ch == sep:
            out.append((s, i))
            s = i + 1
    return out


def example_spans(text: str) -> list[tuple[int, int]]:
    """Absolute (start, end) of the example cells of the answered checklists in *text*."""
    spans: list[tuple[int, int]] = []
    column = None                 # (separator, cell count, example index) of the open table
    pos = 0
    for line in text.split("\n"):
        sep = next((s for s in _SEPARATORS if line.count(s) >= 2), None)
        if sep is None:
            column = None
        else:
            cells = _cells(line, sep)
            words = [line[a:b].strip() for a, b in cells]
            example = [k for k, w in enumerate(words) if EXAMPLE_HEADER.fullmatch(w)]
            if example and any(ANSWER_HEADER.fullmatch(w) for w in words):
                column = (sep, len(cells), example[0])
            elif column and column[0] == sep and len(cells) == column[1]:
                a, b = cells[column[2]]
                if b > a:
                    spans.append((pos + a, pos + b))
        pos += len(line) + 1
    return spans


def mask_examples(sentences: dict, text: str) -> dict:
    """*sentences* (section index -> sentences) with the example cells blanked."""
    spans = example_spans(text)
    if not spans:
        return sentences

    def masked(sent):
        chars = None
        for a, b in spans:
            lo, hi = max(a, sent.start), min(b, sent.end)
            if lo < hi:
                chars = chars or list(sent.text)
                for i in range(lo - sent.start, min(hi - sent.start, len(chars))):
                    chars[i] = " "
        return replace(sent, text="".join(chars)) if chars else sent
    return {i: [masked(s) for s in sents] for i, sents in sentences.items()}
