"""Examples are not facts: what a text offers as an example, a template's
sample or a setting the reader may choose is no statement by the provider
about its own service. Three kinds are kept from the fact extractors:

* **Template example columns of answered checklists.** The METI クラウドサービスレベルのチェックリスト and security check sheets
that providers answer are tables whose template carries an example column
(設定例, 記入例: ``99.9%以上``, ``24時間365日``) beside the provider's own
answer (回答). The example is the template's, not the provider's promise, so
its cells are blanked (with spaces, offsets kept) before facts are read.

A header row is a table row (cells split by ``|`` or tabs) with an example
cell and an answer cell; the rows after it that have the same number of
cells lose their example cell, until a line that is no row of the table.

* **Example blocks and example sentences**: a sentence that starts with
  例) / 例: / 例えば, and the lines under a label line that only says 例
  (【例】, <例>), up to the next label line.

* **Settings the reader makes**: a hypothetical on a setting
  (保持期間を6か月に変更した場合, バックアップ数を10にしている場合,
  …で指定した場合の表示) and instructions (…を7日に設定します,
  …の間で変更できます). A setting the provider made (初期値は3年間に設定
  されています) stays.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import replace

EXAMPLE_HEADER = re.compile(r"(?:サービスレベル)?(?:設定例|記入例|回答例|記載例|設定値の例|例)")
ANSWER_HEADER = re.compile(r"(?:当社|弊社|貴社|御社|事業者)?(?:の)?(?:回答|回答欄|記入欄|対応状況|対応内容|実績|提供内容)")
_SEPARATORS = ("|", "\t")

EXAMPLE_SENTENCE = re.compile(r"^\s*(?:[(（【\[<＜]?\s*(?:設定|記入|回答)?例\s*\d*\s*[)）】\]>＞:：]|例えば|たとえば)")
EXAMPLE_LABEL = re.compile(r"\s*[(（【\[<＜■●・]?\s*(?:設定|記入|回答|使用|構成)?例\s*\d*\s*[)）】\]>＞:：]?\s*")
_LABEL_LINE = re.compile(r"[^。.!?]{1,16}")
READER_SETTING = re.compile(
    r"(?:設定|変更|指定|入力)(?:した|する|している|された|し)?場合"
    r"|に(?:している|した|する|設定した|設定する)場合|ように設定する"
    r"|(?:を|に|で)[^。]{0,24}?(?:設定|指定|選択|入力|変更)(?:します|してください|できます|可能です)\s*。?\s*$")


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


def example_block_lines(text: str) -> list[tuple[int, int]]:
    """Absolute (start, end) of the lines under a 例 label, up to the next label line."""
    spans: list[tuple[int, int]] = []
    inside = False
    pos = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if EXAMPLE_LABEL.fullmatch(stripped):
            inside = True
        elif inside and stripped and _LABEL_LINE.fullmatch(stripped):
            inside = False
        elif inside and stripped:
            spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    """Is *pos* inside one of *spans* (sorted, not overlapping)?"""
    k = bisect.bisect_right(spans, (pos, float("inf"))) - 1
    return k >= 0 and pos < spans[k][1]


# every READER_SETTING holds one of these words: a sentence with none is not searched
_SETTING_WORDS = ("場合", "設定", "指定", "選択", "入力", "変更")


def is_example(sentence: str) -> bool:
    """An example or a setting the reader makes (see the module doc)."""
    return bool(EXAMPLE_SENTENCE.match(sentence)
                or (any(w in sentence for w in _SETTING_WORDS) and READER_SETTING.search(sentence)))


def mask_examples(sentences: dict, text: str) -> dict:
    """*sentences* (section index -> sentences) without examples and settings
    the reader makes, and with the example cells of checklists blanked."""
    cells = example_spans(text)
    blocks = example_block_lines(text)
    cell_ends = [b for _, b in cells]

    def masked(sent):
        chars = None
        # only the cells that can overlap the sentence (sorted and disjoint:
        # from the first that ends after its start), not every cell of the text
        k = bisect.bisect_right(cell_ends, sent.start)
        while k < len(cells) and cells[k][0] < sent.end:
            a, b = cells[k]
            k += 1
            lo, hi = max(a, sent.start), min(b, sent.end)
            if lo < hi:
                chars = chars or list(sent.text)
                for i in range(lo - sent.start, min(hi - sent.start, len(chars))):
                    chars[i] = " "
        return replace(sent, text="".join(chars)) if chars else sent
    return {i: [masked(s) for s in sents if not (is_example(s.text) or _inside(s.start, blocks))]
            for i, sents in sentences.items()}
