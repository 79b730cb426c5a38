"""Normalisation and its offset map: ``pipeline.normalize``."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.normalize import normalize, normalize_text, _joins_previous, _normalize_clusters


@pytest.mark.parametrize("raw,expected", [
    # NFKC: full-width ASCII, digits and punctuation
    ("ＡＢＣ１２３", "ABC123"),
    ("Ａ．１２．３．１", "A.12.3.1"),
    ("ＣＬＤ．６．３．１", "CLD.6.3.1"),
    ("（株）サンプル", "(株)サンプル"),
    ("①", "1"),
    ("㈱サンプル", "(株)サンプル"),
    # CJK Radicals Supplement (NFKC leaves these alone)
    ("⻑期保存", "長期保存"),
    ("⻄日本リージョン", "西日本リージョン"),
    ("⻘色", "青色"),
    # Kangxi radicals (NFKC maps them)
    ("⽇本標準時", "日本標準時"),
    ("利⽤者", "利用者"),
    ("⽅針", "方針"),
    # wave dashes
    ("10時〜18時", "10時~18時"),
    ("10時～18時", "10時~18時"),
    ("9:00∼17:00", "9:00~17:00"),
    # half-width katakana with voiced / semi-voiced marks
    ("ﾊﾞｯｸｱｯﾌﾟ", "バックアップ"),
    ("ﾊﾟｽﾜｰﾄﾞ", "パスワード"),
    ("ﾃﾞｰﾀｾﾝﾀｰ", "データセンター"),
    # combining voiced mark on a full-width kana
    ("カ\u3099", "ガ"),
    # line ends, spaces, invisible and control characters
    ("一行目\r\n二行目\r三行目", "一行目\n二行目\n三行目"),
    ("全角\u3000空白", "全角 空白"),
    ("\ufeff本文", "本文"),
    ("ゼロ\u200b幅", "ゼロ幅"),
    ("改\x0cページ", "改 ページ"),
    ("制御\x00\x07文字", "制御文字"),
    ("タブ\tはそのまま", "タブ\tはそのまま"),
    ("マイナス\u2212記号", "マイナス-記号"),
])
def test_normalize_text(raw, expected):
    assert normalize_text(raw) == expected
    assert normalize(raw).text == expected


@pytest.mark.parametrize("raw,expected_source", [
    ("ﾊﾞｯｸｱｯﾌﾟ", [0, 2, 3, 4, 5, 6, 8]),
    ("ＡＢＣ", [0, 1, 2, 3]),
    ("a\r\nb\rc", [0, 2, 3, 4, 5, 6]),
    ("\ufeffabc", [1, 2, 3, 4]),
    ("x\x00y", [0, 2, 3]),
    ("㈱", [0, 0, 0, 1]),
    ("", [0]),
])
def test_source_offsets_exact(raw, expected_source):
    assert list(normalize(raw).source) == expected_source


def _check_source_map(raw: str) -> None:
    n = normalize(raw)
    src = list(n.source)
    assert len(src) == len(n.text) + 1
    assert src[-1] == len(raw)
    assert all(0 <= x <= len(raw) for x in src)
    assert all(a <= b for a, b in zip(src, src[1:])), "offsets must be monotonic"
    for i, ch in enumerate(n.text):
        # text[i] comes from the source run that starts at src[i]
        j = src[i]
        k = next((x for x in src[i + 1:] if x > j), len(raw))
        assert j < len(raw)
        assert ch in normalize_text(raw[j:k]), (i, ch, raw[j:k])
    assert n.to_source(-5) == src[0] and n.to_source(len(n.text) + 5) == len(raw)


@pytest.mark.parametrize("raw", [
    "ﾊﾞｯｸｱｯﾌﾟは⻑期間、毎⽇〜毎週取得します。\r\n",
    "Ａ．１２．３．１【ＣＬＤ．６．３．１】\u3000ﾛｸﾞ\x00\x0c\ufeff",
    "ｶﾞｷﾞｸﾞｹﾞｺﾞﾊﾟﾋﾟﾌﾟﾍﾟﾎﾟ\u3099\u309a",
    "e\u0301\u0302 ﾞ ﾟ",              # lone sound marks and stacked combining marks
])
def test_source_maps_every_char_back(raw):
    _check_source_map(raw)


def test_evidence_slice_maps_back_to_source():
    raw = "障害時は７２時間以内に通知します。ﾊﾞｯｸｱｯﾌﾟは⻑期保存します。"
    n = normalize(raw)
    start = n.text.index("バックアップ")
    end = start + len("バックアップ")
    assert raw[n.to_source(start):n.to_source(end)] == "ﾊﾞｯｸｱｯﾌﾟ"
    start = n.text.index("72時間")
    assert raw[n.to_source(start):n.to_source(start + 4)] == "７２時間"


# --- property tests -----------------------------------------------------------------

_ANY_CHAR = st.characters(codec=None)
_JAPANESE = st.sampled_from(list("ｱｲｳｶﾞﾊﾟﾞﾟ⻑⻄⽇⽤〜～Ａ１\u3000\u3099\u309a\u0301\r\n\t\x00\x0b\x0c\x1b\ufeff\u200b"
                                 "あア亜"))
_TEXT = st.text(st.one_of(_ANY_CHAR, _JAPANESE), max_size=300)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXT)
def test_property_never_raises_and_offsets_stay_in_range(raw):
    _check_source_map(raw)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.large_base_example])
@given(st.text(st.one_of(_ANY_CHAR, _JAPANESE), min_size=1, max_size=5),
       st.integers(min_value=1_000, max_value=20_000))
def test_property_very_long_lines(piece, repeat):
    raw = piece * repeat
    n = normalize(raw)
    src = n.source
    assert len(src) == len(n.text) + 1
    assert src[0] >= 0 and src[-1] == len(raw)
    assert all(a <= b for a, b in zip(src, src[1:]))


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_property_idempotent(raw):
    once = normalize_text(raw)
    assert normalize_text(once) == once


# normalize() takes a shortcut (a table of the distinct characters) when no
# character joins its neighbour; the character-cluster walk is the reference.
_NO_JOINERS = st.text(st.one_of(_ANY_CHAR, _JAPANESE, st.sampled_from("ｱｶﾊ①㈱㍻ﬁ½⻑⽇〜～\u00a0\u3000\ufeff\x0b\x01")),
                      max_size=60).filter(lambda s: "\r" not in s and not any(_joins_previous(c) for c in s))


@settings(max_examples=500, deadline=None)
@given(_NO_JOINERS)
def test_property_table_shortcut_equals_cluster_walk(raw):
    fast, slow = normalize(raw), _normalize_clusters(raw)
    assert fast.text == slow.text
    assert list(fast.source) == list(slow.source)


@pytest.mark.parametrize("n", [0, 1, 2, 7_000, 300_001])
def test_identity_offsets_same_as_array_of_range(n):
    from array import array

    from pipeline.normalize import _identity
    got = _identity(n)
    assert got.typecode == "l" and got == array("l", range(n))


@pytest.mark.parametrize("text", [
    "", "ログ", "ＡＢＣ１２３", "ｶﾞｷﾞ", "ﾊﾟ", "e\u0301", "a\r\nb\rc", "⻑期", "⼈", "〜～∼〰~", "㈱", "ﬁ", "①",
    "a\u200bb\ufeff", "\x00\x01\x0b\x0c\t\n", "x\ud800y", "𠮷野家", "\u3000全角　空白", "A.12.3.1　情報のバックアップ",
])
def test_normalize_text_same_as_normalize(text):
    from pipeline.normalize import normalize, normalize_text
    assert normalize_text(text) == normalize(text).text
    assert normalize_text(text) == normalize(text).text          # (the piece table filled now)


@given(st.text(max_size=40))
def test_normalize_text_same_as_normalize_property(text):
    from pipeline.normalize import normalize, normalize_text
    assert normalize_text(text) == normalize(text).text
