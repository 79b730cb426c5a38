"""Headings and the controls they name: ``pipeline.segment.segment``.

Each case builds a small synthetic whitepaper (a cover, then several sections
with body sentences) so that the heading under test sits among neighbours
written in the same style, as in a real document.
"""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from conftest import SEED_STEMS, gold, needs_corpus, seed_text
from pipeline.normalize import normalize_text
from pipeline.segment import segment

COVER = "サンプルクラウド セキュリティホワイトペーパー\n\n第 1.0 版\n\n株式会社サンプル\n"
BODIES = (
    "当社は本項目に関する手順を定め、年に一度見直しています。\n詳細は利用規約をご確認ください。\n",
    "お客様からのお問い合わせにはサポート窓口が対応します。\n",
    "責任者を任命し、運用状況を定期的に確認しています。\n対象となるシステムは本サービスの全体です。\n",
)


def build(*blocks: str) -> str:
    """Cover, then each block (a heading) followed by a body paragraph."""
    parts = [COVER]
    for k, block in enumerate(blocks):
        parts.append(block + "\n\n" + BODIES[k % len(BODIES)])
    return "\n".join(parts) + "\n"


def layout_of(raw: str, catalog):
    text = normalize_text(raw)
    return text, segment(text, catalog)


def control_ids(layout) -> list[str]:
    return sorted({c for s in layout.sections for c in s.control_ids})


def section_at(text: str, layout, line: str):
    """The section whose heading starts at *line* (normalised) of *text*."""
    line = normalize_text(line)
    pos = text.index("\n" + line) + 1
    hits = [s for s in layout.sections if s.heading is not None and s.heading.start == pos]
    assert hits, f"no heading starts at {line!r}; headings: {[s.heading.text for s in layout.sections if s.heading]}"
    return hits[0]


# (id, neighbour before, heading under test, neighbour after,
#  number, control_ids, id_source, corrected, unknown, heading text after normalisation)
HEADINGS = [
    pytest.param("5.2. 管理者用手順【CLD.12.1.5】", "5.3. バックアップ【A.12.3.1】", "5.4. ログ【A.12.4.1】",
                 "5.3", ["A.12.3.1"], "heading_bracket", [], [], "5.3. バックアップ【A.12.3.1】",
                 id="numbered-title-then-bracket"),
    pytest.param("【A.5.1.1】 情報セキュリティ方針", "【A.6.1.1, CLD.6.3.1】 責任範囲", "【A.12.3.1】 バックアップ",
                 None, ["A.6.1.1", "CLD.6.3.1"], "heading_bracket", [], [], "【A.6.1.1, CLD.6.3.1】 責任範囲",
                 id="bracket-list-before-title"),
    pytest.param("５．２ 管理者用手順【ＣＬＤ．１２．１．５】", "５．３ バックアップ【Ａ．１２．３．１】",
                 "５．４ ログ【Ａ．１２．４．１】",
                 "5.3", ["A.12.3.1"], "heading_bracket", [], [], "5.3 バックアップ【A.12.3.1】",
                 id="full-width"),
    pytest.param("アクセス制御 [A.9.4.1]", "暗号化 [A.10.1.1]", "鍵の管理 [A.10.1.2]",
                 None, ["A.10.1.1"], "heading_bracket", [], [], "暗号化 [A.10.1.1]",
                 id="square-brackets"),
    pytest.param("10.1.1 暗号による管理策の利用方針", "12.3.1 情報のバックアップ", "12.4.1 イベントログ取得",
                 "12.3.1", ["A.12.3.1"], "heading_number", [], [], "12.3.1 情報のバックアップ",
                 id="bare-control-number"),
    pytest.param("A.10.1.1 暗号による管理策の利用方針", "A.12.3.1 情報のバックアップ", "A.12.4.1 イベントログ取得",
                 "A.12.3.1", ["A.12.3.1"], "heading_number", [], [], "A.12.3.1 情報のバックアップ",
                 id="annex-a-number"),
    pytest.param("8.1.1 資産目録", "CLD.8.1.5 クラウドサービスカスタマの資産の除去", "8.2.2 情報のラベル付け",
                 "CLD.8.1.5", ["CLD.8.1.5"], "heading_number", [], [],
                 "CLD.8.1.5 クラウドサービスカスタマの資産の除去", id="cld-number"),
    pytest.param("バックアップ【A.12.3.1】", "ログの取得\n【A.12.4.1】", "時刻の同期【A.12.4.4】",
                 None, ["A.12.4.1"], "heading_bracket", [], [], "ログの取得 【A.12.4.1】",
                 id="split-over-two-lines"),
    pytest.param("バックアップ【A.12.3.1】", "ログの取得\n\n【A.12.4.1】", "時刻の同期【A.12.4.4】",
                 None, ["A.12.4.1"], "heading_bracket", [], [], "ログの取得 【A.12.4.1】",
                 id="split-with-blank-line"),
    pytest.param("ログの取得【A.12.4.1】", "クラウドサービスの監視【A.12.4.5】", "ぜい弱性の管理【A.12.6.1】",
                 None, ["CLD.12.4.5"], "heading_bracket", [("A.12.4.5", "CLD.12.4.5")], [],
                 "クラウドサービスの監視【A.12.4.5】", id="mis-cited-corrected"),
    pytest.param("ログの取得【A.12.4.1】", "独自の管理項目【A.99.1.1】", "ぜい弱性の管理【A.12.6.1】",
                 None, [], None, [], ["A.99.1.1"], "独自の管理項目【A.99.1.1】", id="unknown-id"),
    pytest.param("ログの取得【A.12.4.1】", "バックアップ【A.12.3.9】", "ぜい弱性の管理【A.12.6.1】",
                 None, ["A.12.3.1"], "heading_bracket", [("A.12.3.9", "A.12.3.1")], [],
                 "バックアップ【A.12.3.9】", id="mis-cited-backup-corrected"),
    pytest.param("ログの取得【A.12.4.1】", "サービス【A.12.4.9】", "ぜい弱性の管理【A.12.6.1】",
                 None, [], None, [], ["A.12.4.9"], "サービス【A.12.4.9】", id="unknown-id-generic-title"),
    pytest.param("ログの取得【A.12.4.1】", "ネットワーク【A.12.4.5】", "ぜい弱性の管理【A.12.6.1】",
                 None, [], None, [], ["A.12.4.5"], "ネットワーク【A.12.4.5】", id="unknown-id-ambiguous-title"),
    pytest.param("5.4 ログ【A.12.4.1】", "5.5 時刻の同期【A.12.4.4】", "5.6 監視【CLD.12.4.5】",
                 "5.5", ["A.12.4.4"], "heading_bracket", [], [], "5.5 時刻の同期【A.12.4.4】",
                 id="title-starting-with-unit-character"),
    # regression: only the first of several bracket groups was looked at, and it ended no line
    pytest.param("2.1 バックアップ (A.12.3.1)", "2.2 ログの取得 [A.12.4.1][A.12.4.3]", "2.3 クロックの同期 (A.12.4.4)",
                 "2.2", ["A.12.4.1", "A.12.4.3"], "heading_bracket", [], [], "2.2 ログの取得 [A.12.4.1][A.12.4.3]",
                 id="two-bracket-groups"),
    pytest.param("【A.5.1.1】情報セキュリティ方針", "【A.6.1.1】【CLD.6.3.1】責任範囲", "【A.12.3.1】バックアップ",
                 None, ["A.6.1.1", "CLD.6.3.1"], "heading_bracket", [], [], "【A.6.1.1】【CLD.6.3.1】責任範囲",
                 id="two-bracket-groups-first"),
    pytest.param("バックアップ【A.12.3.1】", "ログの取得\n[A.12.4.1] [A.12.4.3]", "時刻の同期【A.12.4.4】",
                 None, ["A.12.4.1", "A.12.4.3"], "heading_bracket", [], [], "ログの取得 [A.12.4.1] [A.12.4.3]",
                 id="two-bracket-groups-on-next-line"),
]


@pytest.mark.parametrize("before,target,after,number,ids,id_source,corrected,unknown,heading_text", HEADINGS)
def test_heading_styles(catalog, before, target, after, number, ids, id_source, corrected, unknown, heading_text):
    text, layout = layout_of(build(before, target, after), catalog)
    sec = section_at(text, layout, target.split("\n")[0])
    h = sec.heading
    assert (h.number, h.control_ids, h.id_source) == (number, ids, id_source)
    assert h.corrected == corrected
    assert h.unknown == unknown
    assert h.text == heading_text
    assert sec.fact_control_id == (ids[0] if ids else None)
    # The neighbours are headings too, and nothing else is.
    neighbours = [section_at(text, layout, b).heading for b in (before, after)]
    assert all(n.control_ids for n in neighbours)
    assert [s.heading.start for s in layout.sections if s.heading] == sorted(
        [neighbours[0].start, h.start, neighbours[1].start])


def test_split_heading_body_starts_after_bracket_line(catalog):
    text, layout = layout_of(build("バックアップ【A.12.3.1】", "ログの取得\n【A.12.4.1】", "時刻の同期【A.12.4.4】"), catalog)
    sec = section_at(text, layout, "ログの取得")
    assert text[sec.start:sec.body_start].strip() == "ログの取得\n【A.12.4.1】"
    assert text[sec.body_start:sec.end].strip() == BODIES[1].strip()


def test_numbered_chapters_whose_title_starts_with_a_unit_character(catalog):
    heads = ["1. はじめに", "2. 人的資源のセキュリティ", "3. 運用のセキュリティ", "4. お問い合わせ"]
    text, layout = layout_of(build(*heads), catalog)
    assert [(s.heading.text, s.heading.number) for s in layout.sections if s.heading] == [
        ("1. はじめに", "1"), ("2. 人的資源のセキュリティ", "2"), ("3. 運用のセキュリティ", "3"), ("4. お問い合わせ", "4")]


def test_numbered_chapters_without_controls(catalog):
    heads = ["1. はじめに", "2. 組織の体制", "2.1 責任者", "3. お問い合わせ"]
    text, layout = layout_of(build(*heads), catalog)
    assert [(s.heading.text, s.heading.number, s.heading.control_ids) for s in layout.sections if s.heading] == [
        ("1. はじめに", "1", []), ("2. 組織の体制", "2", []), ("2.1 責任者", "2.1", []), ("3. お問い合わせ", "3", [])]


# --- text that quotes control numbers but is no heading ----------------------------

TOC_DOC = COVER + """
目次

1. はじめに ........ 2
5.1.1 情報セキュリティのための方針群 ........ 3
9.2.1 利用者登録及び登録削除 ........ 4
12.3.1 情報のバックアップ ........ 5

1. はじめに

本書はサンプルクラウドのセキュリティ対策を説明します。

12.3.1 情報のバックアップ

お客様データは毎日バックアップを取得しています。
"""
TOC_TRAP = "5.1.1 情報セキュリティのための方針群 ........ 3\n9.2.1 利用者登録及び登録削除 ........ 4"

REV_FRONT_ONE_LINE_DOC = COVER + """
改訂履歴

版数	日付	変更内容
第1版	2023年4月1日	初版発行
第2版	2024年4月1日	5.1.1 情報セキュリティのための方針群 を追記

12.3.1 情報のバックアップ

お客様データは毎日バックアップを取得しています。
保存期間は7日間です。
"""
REV_ONE_LINE_TRAP = "第2版\t2024年4月1日\t5.1.1 情報セキュリティのための方針群 を追記"

REV_END_WRAPPED_DOC = COVER + """
12.3.1 情報のバックアップ

お客様データは毎日バックアップを取得しています。

12.4.1 イベントログ取得

操作ログを取得しています。

改訂履歴

版数	日付	変更内容
第1版	2023年4月1日	初版発行
第2版	2024年4月1日	下記項目を追記
		5.1.1 情報セキュリティのための方針群
		9.2.1 利用者登録及び登録削除
"""
REV_WRAPPED_TRAP = "\t\t5.1.1 情報セキュリティのための方針群"

# The same wrapped revision row, but the table sits before the body.
REV_FRONT_WRAPPED_DOC = COVER + """
改訂履歴

版数	日付	変更内容
第1版	2023年4月1日	初版発行
第2版	2024年4月1日	下記項目を追記
		5.1.1 情報セキュリティのための方針群

12.3.1 情報のバックアップ

お客様データは毎日バックアップを取得しています。
"""

BULLET_DOC = COVER + """
12.3.1 情報のバックアップ

お客様データは毎日バックアップを取得しています。
関連する管理策は次のとおりです。
・9.2.1 利用者登録及び登録削除
・9.2.2 利用者アクセスの提供

12.4.1 イベントログ取得

操作ログを取得しています。
"""
BULLET_TRAP = "・9.2.1 利用者登録及び登録削除\n・9.2.2 利用者アクセスの提供"

QUOTE_DOC = COVER + """
12.3.1 情報のバックアップ

お客様データは毎日バックアップを取得しています。
体制については
“6.1.1 情報セキュリティの役割及び責任”を参照ください。

12.4.1 イベントログ取得

操作ログを取得しています。
"""
QUOTE_TRAP = "“6.1.1 情報セキュリティの役割及び責任”を参照ください。"

MANUAL_DOC = "サンプル管理ツール 操作マニュアル\n\n" + "\n".join(
    f"{head}\n\n{body}\n" for head, body in [
        ("1. はじめに", "本書は管理ツールの使い方を説明します。"),
        ("2. 動作環境", "対応ブラウザは最新版です。"),
        ("3. ログイン", "IDとパスワードを入力します。"),
        ("4. ユーザー管理", "利用者を追加できます。"),
        ("5. 設定", "各種の設定を行います。"),
        ("6. 通知", "通知の送信先を設定します。"),
        ("7. 管理画面", "この章では管理画面を説明します。"),
        ("7.1. 概要", "管理画面の全体像を示します。"),
        ("7.1.1. 機能概要", "管理画面ではユーザーの追加と削除ができます。"),
        ("7.1.2. 画面構成", "画面は左右に分かれています。"),
    ])
MANUAL_TRAP = "7.1.1. 機能概要"

# (document, trap passage, control ids the document really heads, whether the
#  trap may still be a (non-control) heading)
TRAPS = [
    pytest.param(TOC_DOC, TOC_TRAP, ["A.12.3.1"], False, id="toc-with-leaders"),
    pytest.param(REV_FRONT_ONE_LINE_DOC, REV_ONE_LINE_TRAP, ["A.12.3.1"], False, id="revision-row"),
    pytest.param(REV_END_WRAPPED_DOC, REV_WRAPPED_TRAP, ["A.12.3.1", "A.12.4.1"], False,
                 id="revision-wrapped-row-at-end"),
    pytest.param(REV_FRONT_WRAPPED_DOC, REV_WRAPPED_TRAP, ["A.12.3.1"], False, id="revision-wrapped-row-at-front"),
    pytest.param(BULLET_DOC, BULLET_TRAP, ["A.12.3.1", "A.12.4.1"], False, id="bullet"),
    pytest.param(QUOTE_DOC, QUOTE_TRAP, ["A.12.3.1", "A.12.4.1"], False, id="quoted-title"),
    pytest.param(MANUAL_DOC, MANUAL_TRAP, [], True, id="manual-own-numbering"),
]


@pytest.mark.parametrize("raw,trap,expected_ids,may_be_heading", TRAPS)
def test_references_are_not_control_headings(catalog, raw, trap, expected_ids, may_be_heading):
    text, layout = layout_of(raw, catalog)
    start = text.index(normalize_text(trap))
    end = start + len(normalize_text(trap))
    in_trap = [s for s in layout.sections if s.heading is not None and start <= s.heading.start < end]
    assert [s.heading.control_ids for s in in_trap if s.heading.control_ids] == []
    if not may_be_heading:
        assert [s.heading.text for s in in_trap] == []
    assert control_ids(layout) == expected_ids


def test_manual_numbering_is_kept_as_plain_structure(catalog):
    text, layout = layout_of(MANUAL_DOC, catalog)
    sec = section_at(text, layout, "7.1.1. 機能概要")
    assert (sec.heading.number, sec.heading.control_ids, sec.heading.id_source) == ("7.1.1", [], None)
    assert sec.fact_control_id is None


# --- the seeds ----------------------------------------------------------------------

@needs_corpus
@pytest.mark.parametrize("stem", SEED_STEMS)
def test_seed_explicit_controls_match_gold(catalog, stem):
    _, layout = layout_of(seed_text(stem), catalog)
    explicit = {c for s in layout.sections if s.heading and s.heading.id_source for c in s.control_ids}
    assert sorted(explicit) == sorted(set(gold(stem)["controls"]))


@needs_corpus
@pytest.mark.parametrize("stem", SEED_STEMS)
def test_seed_sections_tile_the_text(catalog, stem):
    text, layout = layout_of(seed_text(stem), catalog)
    secs = layout.sections
    assert secs[0].start == 0 and secs[-1].end == len(text)
    assert all(a.end == b.start for a, b in zip(secs, secs[1:]))
    assert [s.index for s in secs] == list(range(len(secs)))
    assert all(s.start <= s.body_start <= s.end for s in secs)


@needs_corpus
@pytest.mark.parametrize("stem", ["000_1bec0d2da552fb1f", "001_152b7bf00013342c"])
def test_seed_mis_cited_monitoring_heading_is_corrected(catalog, stem):
    _, layout = layout_of(seed_text(stem), catalog)
    fixed = [(s.heading.text, s.heading.corrected) for s in layout.sections if s.heading and s.heading.corrected]
    assert fixed == [("5.6. クラウドサービスの監視【A.12.4.5】", [("A.12.4.5", "CLD.12.4.5")])]


# -- headings added after the synthetic-whitepaper review -----------------------------

def headings_of(raw: str, catalog) -> list[tuple[str, list[str]]]:
    _, layout = layout_of(raw, catalog)
    return [(s.heading.title, s.heading.control_ids) for s in layout.sections if s.heading]


def test_table_row_with_two_ids_in_its_id_cell(catalog):
    rows = ["A.5.1.1\t情報セキュリティのための方針群\t方針を定めています。",
            "A.9.2.1 / A.9.2.2\t利用者登録及び登録削除/利用者アクセスの提供\t管理画面から登録できます。",
            "A.12.3.1\t情報のバックアップ\t毎日取得しています。"]
    assert headings_of(COVER + "\n" + "\n".join(rows) + "\n", catalog) == [
        ("情報セキュリティのための方針群", ["A.5.1.1"]),
        ("利用者登録及び登録削除/利用者アクセスの提供", ["A.9.2.1", "A.9.2.2"]),
        ("情報のバックアップ", ["A.12.3.1"])]


def test_chapter_prefix_before_an_explicit_id(catalog):
    raw = build("第２章　Ａ．１２．３．１　情報のバックアップ", "第３章　ＣＬＤ．８．１．５　クラウドサービスカスタマの資産の除去",
                "第４章　Ａ．１２．４．４　クロックの同期")
    assert [ids for _, ids in headings_of(raw, catalog)] == [["A.12.3.1"], ["CLD.8.1.5"], ["A.12.4.4"]]


MARKED = ["◆ はじめに", "◆ 情報のバックアップ", "◆ ログの取得と保管", "◆ 時刻の同期"]


@pytest.mark.parametrize("mark_style", [
    lambda t: t,
    lambda t: "■ " + t[2:],
    lambda t: "【" + t[2:] + "】",
], ids=["diamond", "square", "lenticular-brackets"])
def test_marked_unnumbered_headings(catalog, mark_style):
    raw = build(*[mark_style(t) for t in MARKED])
    assert [t for t, _ in headings_of(raw, catalog)] == [t[2:] for t in MARKED]


def test_marked_lines_are_not_headings_when_the_document_cites_controls(catalog):
    raw = build("バックアップ【A.12.3.1】", "◆ 取得頻度", "ログの取得【A.12.4.1】", "◆ 保存期間",
                "時刻の同期【A.12.4.4】", "◆ 対象")
    assert [t for t, _ in headings_of(raw, catalog)] == ["バックアップ", "ログの取得", "時刻の同期"]


def test_marked_list_items_are_not_headings(catalog):
    items = "\n".join(["◆ ファイアウォール", "◆ 侵入検知システム", "◆ ウイルス対策ソフト", "◆ 多要素認証"])
    raw = COVER + "\n当社は次の対策を講じています。\n" + items + "\n以上の対策を組み合わせています。\n"
    assert headings_of(raw, catalog) == []


def test_two_marked_lines_are_too_few_to_be_a_heading_style(catalog):
    raw = build("◆ 情報のバックアップ", "◆ 時刻の同期")
    assert headings_of(raw, catalog) == []


def test_marked_heading_in_the_style_of_the_control_headings(catalog):
    raw = build("■ 12.3.1 情報のバックアップ", "■ 12.4.1 イベントログ取得", "■ 12.4.4 クロックの同期",
                "■ サポート窓口について")
    assert headings_of(raw, catalog) == [("情報のバックアップ", ["A.12.3.1"]), ("イベントログ取得", ["A.12.4.1"]),
                                         ("クロックの同期", ["A.12.4.4"]), ("サポート窓口について", [])]


def test_heading_starting_with_two_explicit_ids(catalog):
    raw = build("A.9.1.1 アクセス制御方針", "A.9.2.1 / A.9.2.2 利用者登録及び登録削除", "A.9.4.1 情報へのアクセス制限")
    assert headings_of(raw, catalog) == [("アクセス制御方針", ["A.9.1.1"]),
                                         ("利用者登録及び登録削除", ["A.9.2.1", "A.9.2.2"]),
                                         ("情報へのアクセス制限", ["A.9.4.1"])]


def test_hyphen_numbering_and_numbered_sub_items(catalog):
    raw = build("1-1 本書の目的", "1-2 対象サービス", "2 運用管理", "2-1 データの保全", "(1) バックアップ", "(2) ログ",
                "(3) 時刻同期", "2-2 システムの保守")
    assert [(t, n) for t, n in ((s.heading.title, s.heading.number) for s in layout_of(raw, catalog)[1].sections
                                 if s.heading)] == [
        ("本書の目的", "1-1"), ("対象サービス", "1-2"), ("運用管理", "2"), ("データの保全", "2-1"), ("バックアップ", None), ("ログ", None),
        ("時刻同期", None), ("システムの保守", "2-2")]


def test_cross_reference_rows_are_not_headings(catalog):
    raw = build("1-1 本書の目的", "1-2 対象サービス") + "\n付録\n1-1\tA.5.1.1 情報セキュリティのための方針群\n2-1 (1)\tA.12.3.1 情報のバックアップ\n"
    assert [t for t, _ in headings_of(raw, catalog)] == ["本書の目的", "対象サービス"]


def test_long_bilingual_heading_with_explicit_id(catalog):
    long = ("CLD.6.3.1 Shared roles and responsibilities within a cloud computing environment"
            "(クラウドコンピューティング環境における役割及び責任の共有及び分担)")
    raw = build("A.6.1.3 関係当局との連絡 (Contact with authorities)", long, "A.9.4.2 セキュアなログオン手順")
    assert [ids for _, ids in headings_of(raw, catalog)] == [["A.6.1.3"], ["CLD.6.3.1"], ["A.9.4.2"]]


def test_checklist_rows_with_the_id_at_the_end_of_the_item(catalog):
    rows = ["No.\t確認項目\t回答\t補足",
            "1\t情報セキュリティ方針を定めているか(A.5.1.1)\t〇\t当社ウェブサイトで公開",
            "2\tバックアップを取得しているか(A.12.3.1)\t〇\t毎日取得し、30日間保管",
            "3\t利用者の登録及び削除の手順があるか(A.9.2.1, A.9.2.2)\t〇\t管理画面で実施",
            "4\tデータの保管場所を明示しているか\t〇\t日本国内"]
    assert headings_of(COVER + "\n" + "\n".join(rows) + "\n", catalog) == [
        ("情報セキュリティ方針を定めているか", ["A.5.1.1"]), ("バックアップを取得しているか", ["A.12.3.1"]),
        ("利用者の登録及び削除の手順があるか", ["A.9.2.1", "A.9.2.2"])]


CITED_BETWEEN = ("4.0 運用(JIS Q 27017 12.1.1)", "4.2 ログ情報の保護(JIS Q 27017 12.4.2)")
BRACKETED_BETWEEN = ("【A.5.1.1】情報セキュリティのための方針群", "【A.18.1.3】記録の保護")


@pytest.mark.parametrize("neighbours, heading, ids", [
    # brackets naming the standard
    (CITED_BETWEEN, "4.1 イベントログ取得(JIS Q 27017 12.4.1)", ["A.12.4.1"]),
    (CITED_BETWEEN, "4.1 イベントログ取得【ISO/IEC 27001:2013 A.12.4.1】", ["A.12.4.1"]),
    (CITED_BETWEEN, "4.1 イベントログ取得 [JIS Q 27001 附属書A 12.4.1]", ["A.12.4.1"]),
    # unusual id spellings
    (BRACKETED_BETWEEN, "CLD6.3.1 クラウドコンピューティング環境における役割及び責任の共有及び分担", ["CLD.6.3.1"]),
    (BRACKETED_BETWEEN, "A12.3.1 情報のバックアップ", ["A.12.3.1"]),
    (BRACKETED_BETWEEN, "附属書A.12.4.1 イベントログ取得", ["A.12.4.1"]),
    (BRACKETED_BETWEEN, "ISO/IEC 27017 12.4.4 クロックの同期", ["A.12.4.4"]),
    (BRACKETED_BETWEEN, "【CLD 8.1.5】クラウドサービスカスタマの資産の除去", ["CLD.8.1.5"]),
    (BRACKETED_BETWEEN, "《A.16.1.1》責任及び手順", ["A.16.1.1"]),
])
def test_cited_id_spellings(catalog, neighbours, heading, ids):
    raw = build(neighbours[0], heading, neighbours[1])
    assert headings_of(raw, catalog)[1][1] == ids


# -- real provider layouts (issue: real provider texts) -------------------------------

@pytest.mark.parametrize("neighbours, heading, ids", [
    # the 2022 clause number first, the 2013 ids after a bracketed label
    (("4.1 組織の役割 ([ISO/IEC 27001:2013] A.6.1.1)", "6.3 教育 ([ISO/IEC 27001:2013] A.7.2.2)"),
     "5.1 情報セキュリティのための方針群 ([ISO/IEC 27001:2013] A.5.1.1, A.5.1.2)", ["A.5.1.1", "A.5.1.2"]),
    (("ログの記録(管理策:A.12.4.1)", "時刻の同期(管理策:A.12.4.4)"),
     "バックアップの取得(対応する管理策: A.12.3.1)", ["A.12.3.1"]),
    # a label and a colon closing the heading line, or on the line after it
    (("ログの記録 管理策: A.12.4.1", "時刻の同期 管理策: A.12.4.4"), "バックアップの取得 管理策: A.12.3.1", ["A.12.3.1"]),
    (("ログの記録\n管理策: A.12.4.1", "時刻の同期\n管理策: A.12.4.4"), "バックアップの取得\n管理策:A.12.3.1, A.12.3.2",
     ["A.12.3.1"]),
    # a row of a pipe table
    (("| A.12.4.1 | イベントログ取得 | 操作を記録する |", "| A.12.4.4 | クロックの同期 | NTPを使う |"),
     "| A.12.3.1 | 情報のバックアップ | 毎日取得する |", ["A.12.3.1"]),
])
def test_ids_away_from_the_start_of_a_heading(catalog, neighbours, heading, ids):
    raw = build(neighbours[0], heading, neighbours[1])
    got = headings_of(raw, catalog)
    assert len(got) == 3
    assert got[1][1][:len(ids)] == ids


SOA_ROWS = """適用宣言書

A.5 情報セキュリティのための方針群
A.5.1 情報セキュリティのための経営陣の方向性
A.5.1.1 情報セキュリティのための方針群 情報セキュリティのための方針群を定め、承認し、発行し、通知すること。 ○ 当社の基本方針として定め、全従業員に周知している。
A.5.1.2 情報セキュリティのための方針群のレビュー 方針群はあらかじめ定めた間隔でレビューすること。 ○ 年に一度見直している。
A.6 情報セキュリティのための組織
A.6.1 内部組織
A.6.1.2 職務の分離 相反する職務及び責任範囲は分離すること。 ○ 開発と運用の担当を分けている。
"""


def test_statement_of_applicability_rows_are_controls_but_objectives_are_not(catalog):
    assert headings_of(COVER + "\n" + SOA_ROWS, catalog) == [
        ("情報セキュリティのための方針群", ["A.5.1.1"]), ("情報セキュリティのための方針群のレビュー", ["A.5.1.2"]),
        ("職務の分離", ["A.6.1.2"])]


def test_statement_of_applicability_row_body_is_the_rest_of_the_row(catalog):
    text, layout = layout_of(COVER + "\n" + SOA_ROWS, catalog)
    sec = next(s for s in layout.sections if s.control_ids == ["A.6.1.2"])
    assert text[sec.body_start:sec.end].strip().startswith("相反する職務及び責任範囲は分離すること。")


# A product manual numbers its chapters x.y.z; one title happens to resemble a
# control's (7.1.2 vs A.7.1.2 雇用条件), but the numbering is the document's own.
OWN_NUMBERING = "\n".join(f"{h}\n\n{b}\n" for h, b in [
    ("7. 保守", "保守の範囲を説明します。"),
    ("7.1. 保守範囲", "プランにより保守範囲が変わります。"),
    ("7.1.1. 標準サービスの保守範囲", "標準サービスでは基盤とOSを保守します。"),
    ("7.1.2. 雇用条件の確認", "派遣される作業員の条件を確認します。"),
    ("7.1.3. カスタムサービスの保守範囲", "カスタムサービスでは一部が対象外です。"),
    ("7.2. 問い合わせ窓口", "サポートサイトから問い合わせてください。"),
])


def test_a_manuals_own_x_y_z_numbering_is_not_the_catalogues(catalog):
    # 7.1.2's title agrees with A.7.1.2's, but one of the document's four x.y.z titles is too few
    assert [ids for _, ids in headings_of("サービス仕様書\n\n" + OWN_NUMBERING, catalog) if ids] == []


def test_catalogue_numbering_with_paraphrased_titles_is_kept(catalog):
    raw = build("12.3.1 バックアップの取得", "12.4.1 ログの取得", "12.4.4 時刻同期")
    assert [ids for _, ids in headings_of(raw, catalog)] == [["A.12.3.1"], ["A.12.4.1"], ["A.12.4.4"]]


@pytest.mark.parametrize("items", [
    ["1. 日時", "2. カテゴリー", "3. ユーザー名", "4. IPアドレス"],           # the columns of a log file
    ["1. 設定画面を開く", "", "2. [保存]をクリック"],                          # steps of a procedure
    ["1. ホーム", "  2. ヘルプ"],                                             # breadcrumbs
])
def test_numbered_list_items_are_not_headings(catalog, items):
    raw = "監査ログのダウンロード\n\n出力項目は次のとおりです。\n" + "\n".join(items) + "\n以上です。\n"
    assert headings_of(raw, catalog) == []


def test_permalink_marks_after_headings_are_dropped(catalog):
    raw = build("1. 概要¶", "2. メンテナンス¶", "3. 障害対応¶")
    assert [t for t, _ in headings_of(raw, catalog)] == ["概要", "メンテナンス", "障害対応"]


def test_every_recogniser_has_a_name_and_an_example():
    from pipeline.segment import RECOGNISERS
    names = [r.name for r in RECOGNISERS]
    assert len(names) == len(set(names))
    assert all(r.example and callable(r.match) and callable(r.accept) for r in RECOGNISERS)


# -- the pre-checks before the line regexes change no answer ---------------------------

_LINE_PARTS = ["1", "12", "123", "1234", "²", "٣", " ", "  ", "\t", "....", "…", "・・・", "___", "---", "目次",
               "はじめに", "5.3", "¶", "#", "ログ", "a", "\n", "第2章", "(c)"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_LINE_PARTS), max_size=25).map("".join))
def test_line_prechecks_agree_with_the_regexes(line):
    from pipeline.segment.lines import _ANCHOR_MARK, _TOC_ENTRY, _is_toc_entry, strip_anchor
    t = line.strip()
    assert _is_toc_entry(t) == (bool(_TOC_ENTRY.match(t)) and len(t) < 120)
    assert strip_anchor(line) == _ANCHOR_MARK.sub("", line)
    assert strip_anchor(t) == _ANCHOR_MARK.sub("", t)


@pytest.mark.parametrize("line", ["1. はじめに ........ 3", "5.3 バックアップ\t12", "20.2. メンテナンス¶", "操作ログ#",
                                  "C#", "操作ログ#\n", "x" * 130 + " 12", "², ³", ""])
def test_line_prechecks_on_examples(line):
    from pipeline.segment.lines import _ANCHOR_MARK, _TOC_ENTRY, _is_toc_entry, strip_anchor
    assert _is_toc_entry(line.strip()) == (bool(_TOC_ENTRY.match(line.strip())) and len(line.strip()) < 120)
    assert strip_anchor(line) == _ANCHOR_MARK.sub("", line)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["管理策", "項番", ":", "：", " ", "A.12.4.1", "CLD.6.3.1", ",", "ログの取得", "JIS Q 27017",
                                 "対応する管理策", "12.4.4", "."]), max_size=12).map("".join))
def test_labelled_ids_precheck_agrees_with_the_regex(line):
    from pipeline.segment.ids import LABELLED_IDS, labelled_ids
    m = labelled_ids(line)
    want = LABELLED_IDS.search(line)
    assert (m and m.span()) == (want and want.span())
