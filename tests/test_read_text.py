"""Decoding text whitepapers: ``pipeline.read_text.decode_text``."""
from __future__ import annotations

import codecs

import pytest
from hypothesis import given, strategies as st

from conftest import BAD_DIR, needs_corpus, seed_text
from pipeline.read_text import NotText, decode_text

SAMPLE = ("12.3.1 情報のバックアップ\n"
          "お客様データは毎日バックアップを取得し、過去７日分を保管しています。\n"
          "ログは１年間保存し、その後削除します。障害時は72時間以内に通知します。\n")


@needs_corpus
@pytest.mark.parametrize("name,stem,encoding", [
    ("sjis.txt", "002_eada6c19ad08a7de", "cp932"),
    ("utf8_bom.txt", "004_ff33830aca502d81", "utf-8-sig"),
])
def test_bad_corpus_text_files_decode_to_their_seed(name, stem, encoding):
    d = decode_text((BAD_DIR / name).read_bytes())
    assert d.text == seed_text(stem)
    assert (d.encoding, d.fallback) == (encoding, False)
    assert "\r" not in d.text


@needs_corpus
def test_binary_file_is_not_text():
    with pytest.raises(NotText):
        decode_text((BAD_DIR / "binary.txt").read_bytes())


KANA = "当社はﾊﾞｯｸｱｯﾌﾟを毎日取得しています。\n"


# (text, how to encode it, the encoding decode_text should report)
@pytest.mark.parametrize("text,encode,encoding", [
    pytest.param(SAMPLE, lambda t: t.encode("utf-8"), "utf-8", id="utf-8"),
    pytest.param(SAMPLE, lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), "utf-8-sig", id="utf-8-bom"),
    pytest.param(SAMPLE, lambda t: t.encode("cp932"), "cp932", id="cp932"),
    pytest.param(SAMPLE, lambda t: t.replace("\n", "\r").encode("cp932"), "cp932", id="cp932-cr-only"),
    pytest.param(SAMPLE, lambda t: t.encode("euc_jp"), "euc_jp", id="euc-jp"),
    pytest.param(SAMPLE, lambda t: t.replace("\n", "\r\n").encode("euc_jp"), "euc_jp", id="euc-jp-crlf"),
    pytest.param(KANA, lambda t: t.encode("euc_jp"), "euc_jp", id="euc-jp-half-width-kana"),
    pytest.param(SAMPLE, lambda t: t.encode("utf-16"), "utf-16", id="utf-16-bom"),
    pytest.param(SAMPLE, lambda t: t.encode("iso2022_jp"), "iso2022_jp", id="iso-2022-jp"),
    pytest.param("短い", lambda t: t.encode("iso2022_jp"), "iso2022_jp", id="iso-2022-jp-short"),
])
def test_decode_encodings(text, encode, encoding):
    d = decode_text(encode(text))
    assert (d.text, d.encoding, d.fallback) == (text, encoding, False)


@needs_corpus
def test_seed_encoded_as_euc_jp_round_trips():
    text = seed_text("004_ff33830aca502d81")
    d = decode_text(text.encode("euc_jp"))
    assert (d.text, d.encoding) == (text, "euc_jp")


@pytest.mark.parametrize("data", [
    pytest.param(b"\x00\x01\x02\x03" * 64, id="nul-bytes"),
    pytest.param(bytes(range(1, 9)) * 100, id="control-characters"),
    pytest.param(b"PK\x03\x04" + b"\x00" * 100, id="zip-header"),
    pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", id="png-header"),
])
def test_binary_raises_not_text(data):
    with pytest.raises(NotText):
        decode_text(data)


@needs_corpus
def test_one_stray_byte_in_utf8_falls_back_with_a_flag():
    text = seed_text("004_ff33830aca502d81")
    raw = text.encode("utf-8")
    cut = raw.index("ログデータ".encode("utf-8"))
    d = decode_text(raw[:cut] + b"\xff" + raw[cut:])
    assert (d.encoding, d.fallback) == ("utf-8", True)
    assert d.text == text[:text.index("ログデータ")] + "\ufffd" + text[text.index("ログデータ"):]


def test_short_text_with_many_replacements_is_not_text():
    with pytest.raises(NotText):
        decode_text("バックアップ".encode("utf-8") + b"\xff\xfe\xfa" + "取得".encode("utf-8"))


def test_empty_bytes_decode_to_empty_text():
    d = decode_text(b"")
    assert (d.text, d.encoding, d.fallback) == ("", "utf-8", False)


def _control_ratio_by_loop(text):
    if not text:
        return 0.0
    return sum(1 for ch in text if (ord(ch) < 32 and ch not in "\t\n\r\f") or ch == "\ufffd") / len(text)


@pytest.mark.parametrize("text", ["", "ログ\n", "".join(map(chr, range(0, 40))), "a\ufffd\x7f\x0b\x0c\r\t", "x" * 1000 + "\x00"])
def test_control_ratio_same_as_the_loop(text):
    from pipeline.read_text import _control_ratio
    assert _control_ratio(text) == _control_ratio_by_loop(text)


@given(st.text(max_size=200))
def test_control_ratio_property(text):
    from pipeline.read_text import _control_ratio
    assert _control_ratio(text) == _control_ratio_by_loop(text)
