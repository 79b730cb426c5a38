"""Tests for pipeline.read_pdf against the shared corpus and small PDFs built here.

The corpus lives next to the repository (``../shared/corpus``); tests that
need it are skipped when it is missing.  The small PDFs are written byte by
byte with a non-embedded Japanese CID font (HeiseiMin-W3, UniJIS-UCS2-H), so
no font file is needed: pdfium maps the codes straight to Unicode.  Widths:
full-width characters 1 em, ASCII 1/2 em, the space 1/4 em.
"""
from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st


from cid_pdf import cid_font_pdf  # noqa: E402
from pipeline.read_pdf import PdfReadError, PdfText, read_pdf  # noqa: E402

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
needs_corpus = pytest.mark.needs_corpus      # ../shared must be beside the checkout (as in CI)

TEXT_PDFS = [
    "000_1bec0d2da552fb1f.pdf",
    "001_152b7bf00013342c.pdf",
    "002_eada6c19ad08a7de.pdf",
    "002_eada6c19ad08a7de.kangxi.pdf",
    "003_8c533b8fd33a2377.pdf",
    "004_ff33830aca502d81.pdf",
    "004_ff33830aca502d81.kangxi.pdf",
]


@functools.lru_cache(maxsize=None)
def corpus_pdf(name: str) -> PdfText:
    return read_pdf((CORPUS / "pdf" / name).read_bytes())


@functools.lru_cache(maxsize=None)
def seed_text(pdf_name: str) -> str:
    return (CORPUS / "seeds" / (pdf_name.split(".")[0] + ".txt")).read_text(encoding="utf-8")


def squash(text: str) -> str:
    """NFKC with all whitespace removed: the comparison key for text."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def out_lines(result: PdfText) -> list[str]:
    return [line for page in result.pages for line in page.split("\n")]


# ------------------------------------------------------------------ corpus

@needs_corpus
@pytest.mark.parametrize("name, n_pages, min_ratio", [
    ("000_1bec0d2da552fb1f.pdf", 13, 0.985),
    ("001_152b7bf00013342c.pdf", 14, 0.985),
    ("002_eada6c19ad08a7de.pdf", 10, 0.985),
    ("002_eada6c19ad08a7de.kangxi.pdf", 10, 0.985),
    ("003_8c533b8fd33a2377.pdf", 13, 0.975),
    ("004_ff33830aca502d81.pdf", 9, 0.99),
    ("004_ff33830aca502d81.kangxi.pdf", 9, 0.99),
])
def test_text_matches_seed(name, n_pages, min_ratio):
    result = corpus_pdf(name)
    assert result.n_pages == n_pages == len(result.pages)
    assert result.pages_without_text == 0
    got, want = squash("".join(result.pages)), squash(seed_text(name))
    # ~15k characters each: the exact ratio takes well under a second
    matcher = difflib.SequenceMatcher(None, got, want, autojunk=False)
    assert matcher.quick_ratio() >= min_ratio
    assert matcher.ratio() >= min_ratio


@needs_corpus
@pytest.mark.parametrize("name, gone", [
    # running header text (whitespace-insensitive) that must not survive anywhere
    ("000_1bec0d2da552fb1f.pdf", "取り組みWhitePaper第1.0版"),
    ("001_152b7bf00013342c.pdf", "取り組みWhitePaper第1.0版"),
    ("002_eada6c19ad08a7de.pdf", "セキュリティホワイトペーパー第2.0版"),
    ("002_eada6c19ad08a7de.kangxi.pdf", "セキュリティホワイトペーパー第2.0版"),
    ("003_8c533b8fd33a2377.pdf", "情報セキュリティ対策株式会社アーバンエックステクノロジーズ"),
    ("004_ff33830aca502d81.pdf", "ISO/IEC27017ホワイトペーパー第1.1版"),
    ("004_ff33830aca502d81.kangxi.pdf", "ISO/IEC27017ホワイトペーパー第1.1版"),
])
def test_running_headers_and_footers_are_gone(name, gone):
    result = corpus_pdf(name)
    for line in map(squash, out_lines(result)):
        assert gone not in line
    text = squash("\n".join(result.pages))
    for bad in ("©", "Copyright", "AllRightsReserved", "Allrightsreserved"):
        assert bad not in text
    page_number = re.compile(r"-\s*\d+\s*-|\d+\s*/\s*\d+|\d+")
    for line in out_lines(result):
        assert not page_number.fullmatch(unicodedata.normalize("NFKC", line).strip()), line


@needs_corpus
@pytest.mark.parametrize("name, kept", [
    ("003_8c533b8fd33a2377.pdf", "以上"),   # a body line that repeats must stay
    ("001_152b7bf00013342c.pdf", "以 上"),
    ("000_1bec0d2da552fb1f.pdf", "以上"),
])
def test_repeated_body_lines_are_kept(name, kept):
    lines = [line.strip() for line in out_lines(corpus_pdf(name))]
    assert kept in lines


HEADING = {
    "000": r"\d+(?:\.\d+)*\.\s*\S.*",
    "001": r"\d+(?:\.\d+)*\.\s*\S.*",
    "002": r"(?:CLD\.)?\d+\.\d+\.\d+\s+\S.*",
    "003": r"\d+(?:\.\d+)*\s?[^\d\s].*",
    "004": r"(?:CLD\.)?\d+\.\d+\.\d+\s+\S.*|\d+\.\D.*",
}


def seed_headings(name: str) -> list[str]:
    """Section headings of the seed: numbered lines that are not TOC entries
    (those have a tab or leader dots) and not sentences."""
    pattern = HEADING[name[:3]]
    out = []
    for line in seed_text(name).split("\n"):
        if "\t" in line:
            continue
        line = line.strip()
        if (re.fullmatch(pattern, line) and "..." not in line
                and not line.endswith("。") and len(line) < 80):
            out.append(" ".join(unicodedata.normalize("NFKC", line).split()))
    return out


@needs_corpus
@pytest.mark.parametrize("name, n_headings, examples", [
    ("000_1bec0d2da552fb1f.pdf", 42, ["5.3. バックアップ【A.12.3.1】", "5.12. サービス利用停止後のデータの扱い【CLD.8.1.5】"]),
    ("001_152b7bf00013342c.pdf", 42, ["5.3. バックアップ【A.12.3.1】", "2.4. 責任範囲(共有 Model)【A.6.1.1, CLD.6.3.1】"]),
    ("002_eada6c19ad08a7de.pdf", 40, ["12.3.1 情報のバックアップ", "CLD.12.4.5 クラウドサービスの監視",
                                      "CLD.6.3.1 クラウドコンピューティング環境における役割及び責任の共有及び分担"]),
    ("002_eada6c19ad08a7de.kangxi.pdf", 40, ["12.3.1 情報のバックアップ"]),
    ("003_8c533b8fd33a2377.pdf", 35, ["6.2 バックアップ", "2.6.2 お客様データへの当社従業員によるアクセス及び保護"]),
    ("004_ff33830aca502d81.pdf", 43, ["12.3.1 情報のバックアップ", "CLD.12.4.5 クラウドサービスの監視",
                                      "CLD.6.3.1 クラウドコンピューティング環境における役割および責任の共有および分担"]),
    ("004_ff33830aca502d81.kangxi.pdf", 43, ["CLD.8.1.5 クラウドカスタマの資産の除去"]),
])
def test_headings_are_whole_lines(name, n_headings, examples):
    headings = seed_headings(name)
    assert len(headings) == n_headings
    assert set(examples) <= set(headings)
    lines = {" ".join(unicodedata.normalize("NFKC", line).split()) for line in out_lines(corpus_pdf(name))}
    assert [h for h in headings if h not in lines] == []


@needs_corpus
@pytest.mark.parametrize("name, sentence", [
    ("000_1bec0d2da552fb1f.pdf", "システム及びユーザーデータのバックアップは、日次で 3 世代分のデータを保持します。"),
    ("000_1bec0d2da552fb1f.pdf", "本ドキュメントは、MoC 都市基盤の提供にあたり、当社およびサービスのセキュリティに関する方針、"
                                 "並びにプロセスの概要をご理解いただくとともに、ISMS クラウドセキュリティ認証である ISO/IEC 27017 "
                                 "の要求に従う公表を行うことを目的とします。"),
    ("000_1bec0d2da552fb1f.pdf", "画像やフォント等については CC BY-SA 4.0、MoC 都市基盤コミュニティで集めたデータのライセンス"),
    ("002_eada6c19ad08a7de.pdf", "システムはNTPによる時刻同期を行っており、日本時間(JST)で管理しています。"),
    ("002_eada6c19ad08a7de.kangxi.pdf", "システムはNTPによる時刻同期を行っており、日本時間(JST)で管理しています。"),
    ("003_8c533b8fd33a2377.pdf", "バックアップは、システム構成図の経路8に相当する「DBマスタ」からからのみアクセス可能なアベイラビリティゾーン"
                                 "(https://docs.aws.amazon.com/ja_jp/AWSEC2/latest/UserGuide/"
                                 "using-regions-availability-zones.html)"
                                 "に10世代保持しています。"),
    ("003_8c533b8fd33a2377.pdf", "機密性: 認可されていない個人、エンティティ又はプロセスに対して、情報を使用不可又は非公開にする特性"),
    ("004_ff33830aca502d81.pdf", "登録の詳細はユーザ登録用紙に記載の手順をご参照ください。"),
    ("004_ff33830aca502d81.kangxi.pdf", "登録の詳細はユーザ登録用紙に記載の手順をご参照ください。"),
])
def test_sentence_is_on_one_line(name, sentence):
    key = squash(sentence)
    assert any(key in squash(line) for line in out_lines(corpus_pdf(name)))


@needs_corpus
@pytest.mark.parametrize("name, n_sentences, n_across_pages", [
    ("000_1bec0d2da552fb1f.pdf", 72, 0),
    ("001_152b7bf00013342c.pdf", 74, 0),
    ("002_eada6c19ad08a7de.pdf", 73, 2),
    ("002_eada6c19ad08a7de.kangxi.pdf", 73, 2),
    ("003_8c533b8fd33a2377.pdf", 95, 0),
    ("004_ff33830aca502d81.pdf", 91, 0),
    ("004_ff33830aca502d81.kangxi.pdf", 91, 0),
])
def test_no_seed_sentence_is_split_within_a_page(name, n_sentences, n_across_pages):
    """Every '。' sentence of the seed lies within one output line, except the
    few that run over a page break (pages are returned separately)."""
    result = corpus_pdf(name)
    lines = [squash(line) for line in out_lines(result)]
    pages = [squash(page) for page in result.pages]
    sentences = [squash(s).lstrip("-・") + "。"
                 for line in seed_text(name).split("\n") if "\t" not in line
                 for s in line.split("。")[:-1]]
    sentences = [s for s in sentences if "<" not in s and len(s) > 5]  # seed autolinks differ
    assert len(sentences) == n_sentences
    split = [s for s in sentences if not any(s in line for line in lines) and any(s in p for p in pages)]
    across = [s for s in sentences if not any(s in p for p in pages)]
    assert split == []
    assert len(across) == n_across_pages


@needs_corpus
def test_table_rows_are_tab_separated():
    lines = out_lines(corpus_pdf("000_1bec0d2da552fb1f.pdf"))
    assert "第 1.0 版\t2021 年 10 月 7 日\t初版" in lines
    assert "版数\t日付\t更新内容" in lines
    # a cell that wraps inside the table stays in its row
    assert ("報告する範囲\tデータの消失、長時間のシステム停止等のユーザ様に大きな影響を及ぼす可能性"
            "のある情報セキュリティインシデント") in lines
    lines = out_lines(corpus_pdf("003_8c533b8fd33a2377.pdf"))
    assert "第2版\t2023/6/22\t事業移管、サポート体制変更に伴う記載修正" in lines
    assert "\tリモート OSコマンドインジェクション" in lines  # empty first cell (merged column)


@needs_corpus
def test_characters_are_not_normalised():
    lines = out_lines(corpus_pdf("000_1bec0d2da552fb1f.pdf"))
    assert "2.4. 責任範囲（共有 Model）【A.6.1.1, CLD.6.3.1】" in lines  # full-width parentheses stay
    assert "提供手段：Eメール" in out_lines(corpus_pdf("003_8c533b8fd33a2377.pdf"))


@needs_corpus
def test_toc_leaders_become_a_tab():
    lines = out_lines(corpus_pdf("000_1bec0d2da552fb1f.pdf"))
    assert "5.3. バックアップ【A.12.3.1】\t10" in lines
    assert not any("...." in line for line in lines)


@needs_corpus
@pytest.mark.parametrize("stem", ["002_eada6c19ad08a7de", "004_ff33830aca502d81"])
def test_kangxi_variant_reads_like_clean(stem):
    clean = corpus_pdf(stem + ".pdf")
    kangxi = corpus_pdf(stem + ".kangxi.pdf")
    nfkc = lambda pages: [unicodedata.normalize("NFKC", p) for p in pages]  # noqa: E731
    assert nfkc(kangxi.pages) == nfkc(clean.pages)


@needs_corpus
def test_scanned_pdf_has_no_text():
    result = corpus_pdf("003_8c533b8fd33a2377.scanned.pdf")
    assert result.n_pages == 13
    assert result.pages == [""] * 13
    assert result.pages_without_text == 13


@needs_corpus
@pytest.mark.parametrize("name, expected", [
    ("000_1bec0d2da552fb1f.pdf", {"title": "MoC 都市基盤サービスの ISO/IEC27017 に基づくセキュリティ要求事項への取り組み",
                                  "creation_date": "2026-11-22"}),
    ("002_eada6c19ad08a7de.pdf", {"title": "Cloud Farm ISO/IEC 27017 セキュリティホワイトペーパー",
                                  "creation_date": "2026-11-22"}),
])
def test_document_info(name, expected):
    assert corpus_pdf(name).info == expected


@needs_corpus
@pytest.mark.parametrize("name, password, code", [
    ("empty.pdf", None, "empty"),
    ("truncated.pdf", None, "pdf_broken"),
    ("not_a_pdf.pdf", None, "pdf_broken"),
    ("binary.txt", None, "pdf_broken"),
    ("sjis.txt", None, "pdf_broken"),
    ("utf8_bom.txt", None, "pdf_broken"),
    ("encrypted.pdf", None, "pdf_encrypted"),
    ("encrypted.pdf", "wrong-password", "pdf_encrypted"),
    ("encrypted.pdf", "", "pdf_encrypted"),
])
def test_bad_files_raise_read_errors(name, password, code):
    with pytest.raises(PdfReadError) as info:
        read_pdf((CORPUS / "bad" / name).read_bytes(), password=password)
    assert info.value.code == code
    assert info.value.message.endswith(".") and len(info.value.message) > 20
    assert str(info.value) == info.value.message


@needs_corpus
def test_encrypted_pdf_with_the_user_password_reads_like_the_original():
    result = read_pdf((CORPUS / "bad" / "encrypted.pdf").read_bytes(), password="user-secret")
    assert result.n_pages == 14
    assert result.pages == corpus_pdf("001_152b7bf00013342c.pdf").pages


# ------------------------------------------------------- PDFs built here

def make_pdf(pages: list[list[tuple[float, float, float, str]]], info: dict[str, str] | None = None,
             size: tuple[float, float] = (595.0, 842.0)) -> bytes:
    """A PDF whose pages show the given (x, y, font size, text) lines."""
    streams = ["\n".join(f"BT /F1 {fs} Tf 1 0 0 1 {x} {y} Tm <{''.join(f'{ord(c):04X}' for c in text)}> Tj ET"
                         for x, y, fs, text in lines) for lines in pages]
    return cid_font_pdf(streams, size, info)


BODY = ("本サービスでは、利用者のデータを日次でバックアップし、過去七日分を保持しています。"
        "また、障害時には手順書に従って速やかに復旧します。復旧の結果は管理画面でお知らせいたします。")
FULL = "次の対策を実施しています。この行は右端まで届くようにわざと少し長めに書いた文でした。"
assert len(BODY) > 84 and len(FULL) == 42  # FULL ends at the right edge


def one_page(footer: list[tuple[float, float, float, str]] | None = None) -> bytes:
    """A page with a header, a heading that wraps, a wrapped paragraph,
    bullets, a table and a footer.  Full-width characters are 1 em wide,
    ASCII 1/2 em, space 1/4 em; the text column ends at 72 + 42 * 10.5 = 513."""
    head = "12.3.1 情報のバックアップ及び復旧手順に関するクラウドサービスカスタマとの責任分担について"
    return make_pdf([[
        (72, 800, 9, "サンプル株式会社 セキュリティホワイトペーパー"),
        (72, 740, 14, head[:35]),  # 3.25 + 28 em of 14 pt: ends at 509.5
        (72, 720, 14, head[35:]),
        (72, 690, 10.5, BODY[:42]),
        (72, 672, 10.5, BODY[42:84]),
        (72, 654, 10.5, BODY[84:]),
        (72, 620, 10.5, FULL),
        (72, 602, 10.5, "・日次バックアップ"),
        (72, 584, 10.5, "・週次の復旧試験"),
        (72, 550, 10.5, "版数"), (160, 550, 10.5, "日付"), (300, 550, 10.5, "内容"),
        (72, 532, 10.5, "第1版"), (160, 532, 10.5, "2024年4月1日"), (300, 532, 10.5, "初版"),
        (72, 480, 10.5, "以上"),
        *(footer or [(290, 40, 9, "- 1 -"), (200, 26, 9, "Copyright 2024 Sample Co., Ltd. All Rights Reserved.")]),
    ]], info={"Title": "サンプル", "Author": "", "CreationDate": "D:20240401093000+09'00'"})


def test_one_page_pdf_layout():
    result = read_pdf(one_page())
    assert result.n_pages == 1 and result.pages_without_text == 0
    assert result.info == {"title": "サンプル", "creation_date": "2024-04-01"}
    assert result.pages[0] == "\n".join([
        "サンプル株式会社 セキュリティホワイトペーパー",  # one page: a header cannot be told from body text
        "",
        "12.3.1 情報のバックアップ及び復旧手順に関するクラウドサービスカスタマとの責任分担について",
        "",
        BODY,
        "",
        FULL,
        "・日次バックアップ",
        "・週次の復旧試験",
        "",
        "版数\t日付\t内容",
        "第1版\t2024年4月1日\t初版",
        "",
        "以上",
    ])


@pytest.mark.parametrize("footer", [
    "- 1 -", "1", "1 / 1", "1/1", "Page 1", "p. 1", "1 ページ",
    "© 2024 Sample Co., Ltd.", "Copyright 2024 Sample", "Sample Co., Ltd. All Rights Reserved.",
])
def test_one_page_footer_patterns_are_dropped(footer):
    page = read_pdf(one_page([(200, 30, 9, footer)])).pages[0]
    assert page.endswith("\n以上")


def test_number_in_the_body_is_kept():
    page = read_pdf(one_page([(72, 400, 10.5, "1"), (290, 40, 9, "- 1 -")])).pages[0]
    assert page.endswith("以上\n\n1")


def test_repeated_header_and_footer_are_dropped_but_repeated_body_is_kept():
    pages = [[
        (72, 800, 9, "サンプル株式会社 セキュリティホワイトペーパー"),
        (72, 700, 10.5, f"第{i}章の本文です。"),
        (72, 500, 10.5, "以上"),  # the same body line at the same place on every page
        (280, 40, 9, f"{i} / 3"),
        (200, 26, 9, "© 2024 サンプル株式会社"),
    ] for i in (1, 2, 3)]
    result = read_pdf(make_pdf(pages))
    assert result.pages == [f"第{i}章の本文です。\n\n以上" for i in (1, 2, 3)]


def test_page_with_header_only_is_empty_but_has_text():
    header = (72, 800, 9, "サンプル株式会社 セキュリティホワイトペーパー")
    result = read_pdf(make_pdf([[header], [header, (72, 700, 10.5, "本文です。")], [header]]))
    assert result.pages == ["", "本文です。", ""]
    assert result.pages_without_text == 0


def test_page_without_any_text():
    result = read_pdf(make_pdf([[], [(72, 700, 10.5, "本文です。")]]))
    assert result.pages == ["", "本文です。"]
    assert result.pages_without_text == 1


def test_ascii_words_are_joined_with_a_space():
    line1 = "本サービスは通信を暗号化しています。詳しくは、TLS and"
    page = read_pdf(make_pdf([[(72, 700, 10.5, line1), (72, 682, 10.5, "HTTPS の説明をご覧ください。")]])).pages[0]
    assert page == line1 + " HTTPS の説明をご覧ください。"


def test_error_is_picklable():
    import pickle

    err = pickle.loads(pickle.dumps(PdfReadError("pdf_broken", "The PDF is damaged.")))
    assert (err.code, err.message) == ("pdf_broken", "The PDF is damaged.")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cut=st.integers(min_value=0, max_value=2000),
       flips=st.lists(st.tuples(st.integers(0, 2000), st.integers(0, 255)), max_size=5))
def test_damaged_pdfs_only_raise_pdf_read_error(cut, flips):
    data = bytearray(one_page())
    for pos, value in flips:
        if pos < len(data):
            data[pos] = value
    data = bytes(data[: len(data) - cut])
    try:
        result = read_pdf(data)
    except PdfReadError as e:
        assert e.code in {"pdf_broken", "pdf_encrypted", "empty"}
    else:
        assert len(result.pages) == result.n_pages


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=512))
def test_random_bytes_only_raise_pdf_read_error(data):
    try:
        read_pdf(b"%PDF-1.4\n" + data)
    except PdfReadError as e:
        assert e.code == "pdf_broken"


def test_checklist_cells_that_wrap_inside_their_column():
    """Regression: a checklist whose item cells wrap (情報セキュリテ / ィ基本方針を…)
    came out one fragment per line, cutting the control id in two."""
    fs = 10.0                           # full-width characters are 10 pt wide
    col = [72, 100, 260, 300]           # No. | 確認項目 (14 characters and a margin) | 回答 | 補足
    rows = [("1", ["情報セキュリティ基本方針を策", "定し、公開しているかどうか(A", ".5.1.1)"], "Yes", ["公開しています"]),
            ("2", ["バックアップを取得している", "か(A.12.3.1)"], "Yes", ["毎日取得し、30日間保管"]),
            ("3", ["監視"], "Yes", ["24時間365日"])]
    lines, y = [(col[0], 700, fs, "No."), (col[1], 700, fs, "確認項目"), (col[2], 700, fs, "回答"),
                (col[3], 700, fs, "補足")], 682
    for no, item, answer, note in rows:
        lines += [(col[0], y, fs, no), (col[2], y, fs, answer)]
        for k, piece in enumerate(item):
            lines.append((col[1], y - 12 * k, fs, piece))
        for k, piece in enumerate(note):
            lines.append((col[3], y - 12 * k, fs, piece))
        y -= 12 * max(len(item), len(note)) + 6
    text = read_pdf(make_pdf([lines])).pages[0]
    assert text.split("\n") == [
        "No.\t確認項目\t回答\t補足",
        "1\t情報セキュリティ基本方針を策定し、公開しているかどうか(A.5.1.1)\tYes\t公開しています",
        "2\tバックアップを取得しているか(A.12.3.1)\tYes\t毎日取得し、30日間保管",
        "3\t監視\tYes\t24時間365日"]


def test_last_cell_run_on_survives_a_later_wrapped_cell():
    """Regression: a last cell continued by _continues_cell was dropped when a
    later line continued another wrapped cell of the same row."""
    fs = 10.0
    lines = [(72, 740, fs, "本書の確認項目と回答の一覧です。回答欄は当社の対応状況を示し、補足欄に説明を記載します。"),
             (72, 700, fs, "1"), (100, 700, fs, "情報セキュリティ基本方針を策"), (260, 700, fs, "Yes"),
             (300, 700, fs, "公開しています"),
             (300, 688, fs, "(ウェブサイト)"),
             (100, 676, fs, "定しているか")]
    assert read_pdf(make_pdf([lines])).pages[0].split("\n")[-1] == \
        "1\t情報セキュリティ基本方針を策定しているか\tYes\t公開しています(ウェブサイト)"


@pytest.mark.parametrize("text", ["はじめに ........ 12", "はじめに ・・・・ 3", "目次 …… 5", "はじめに ........ x",
                                  "1.2.3.4.5", "....12", "", "数字²", "a . . . . 1234"])
def test_leader_precheck_changes_nothing(text):
    """_make_line searches for leader dots only in a line that ends in a digit."""
    from pipeline.read_pdf import _LEADER
    assert (text[-1:].isdigit() and bool(_LEADER.search(text))) == bool(_LEADER.search(text))


@pytest.mark.parametrize("run", [
    ("ログ", 10.0, 700.0, 40.5, 712.25, None), ("はじめに........12", 72.0, 500.0, 300.0, 511.0, 1.5),
    ("x", 0.0, 0.0, 5.0, 0.0, None), ("A.12.3.1", 1.0, 2.0, 3.0, 1.5, None), ("目次…………3", 3.0, 4.0, 9.0, 14.0, None),
])
def test_one_run_line_same_as_joining_one_run(run):
    """_make_line's short cut for a line of one run builds the _Line the general join builds."""
    from pipeline.read_pdf import _joined_line, _one_run_line, _TextRun
    r = _TextRun(*run)
    assert _one_run_line(r) == _joined_line([r])
