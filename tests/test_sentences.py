"""nlp.split_sentences visits only the characters that change its state;
it must cut exactly where the walk over every character (kept here as the
reference) cuts, runaway brackets included."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from pipeline.nlp import _CLOSE, _ENDERS, _OPEN, _add, split_sentences


def _reference(text: str, start: int = 0, end: int | None = None):
    """The character-by-character walk split_sentences replaced."""
    end = len(text) if end is None else end
    out = []
    depth, s = 0, start
    i = start
    while i < end:
        ch = text[i]
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE and depth:
            depth -= 1
        cut = None
        if ch == "\n":
            cut, depth = i, 0
        elif ch in _ENDERS and depth == 0:
            cut = i + 1
        elif depth > 0 and i - s > 400:
            depth = 0
        if cut is not None:
            _add(out, text, s, cut)
            s = cut if ch != "\n" else i + 1
        i += 1
    _add(out, text, s, end)
    return out


_PARTS = list(_OPEN + _CLOSE + _ENDERS) + ["\n", " ", "\u3000", "\t", "ログ", "a", "x" * 50, "あ" * 199, "y" * 397,
                                            "z" * 400, "w" * 401]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_PARTS), max_size=40).map("".join), st.data())
def test_split_sentences_matches_the_character_walk(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert split_sentences(text, start, end) == _reference(text, start, end)
    assert split_sentences(text) == _reference(text)


@pytest.mark.parametrize("text", [
    "", "。", "ログを保存します。次の文です!", "「括弧の中。まだ中」外。", "(" + "あ" * 500 + "。後", "「" + "x" * 401 + "。",
    "「" + "x" * 400 + "。", "「" + "x" * 399 + "。", "((" + "x" * 398 + "))" + "x" * 5 + "。y",
    "「a\nb」。c", "  前の空白。\u3000次。\n\n", "(" * 3 + "y" * 410 + "?" + ")" * 3 + "!",
])
def test_split_sentences_examples(text):
    assert split_sentences(text) == _reference(text)
