"""Title, publisher, version and issue date: ``pipeline.metadata``."""
from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from conftest import SEED_STEMS, gold, needs_corpus, seed_text
from pipeline.metadata import extract_metadata, find_version, parse_date
from pipeline.normalize import normalize_text
from pipeline.segment import segment

D = dt.date

BODY = """
1. はじめに

本書はサンプルクラウドのセキュリティ対策を説明します。

12.3.1 情報のバックアップ

お客様データは毎日バックアップを取得しています。

2. お問い合わせ

サポート窓口までご連絡ください。
"""
TOC = """
目次

1. はじめに ........ 2
12.3.1 情報のバックアップ ........ 3
2. お問い合わせ ........ 4
"""
FOOTER = "\n© 2024 Sample Systems Inc. All rights reserved.\n"


def meta_of(raw: str, catalog):
    return extract_metadata(segment(normalize_text(raw), catalog))


def as_tuple(m):
    return (m.title, m.publisher, m.version, m.published)


# (cover + whatever precedes the body, expected (title, publisher, version, published))
COVERS = [
    pytest.param("サンプルクラウド セキュリティホワイトペーパー\n\n第 2.1 版\n\n令和6年4月1日\n\n株式会社サンプル\n",
                 ("サンプルクラウド セキュリティホワイトペーパー", "株式会社サンプル", "第 2.1 版", D(2024, 4, 1)),
                 id="reiwa-date"),
    pytest.param("ホワイトペーパー\n\nサンプル保管サービス ISO/IEC 27017 対応状況\n\nVer. 3.2\n2023/11/30\n\nサンプル工業株式会社\n",
                 ("サンプル保管サービス ISO/IEC 27017 対応状況", "サンプル工業株式会社", "Ver. 3.2", D(2023, 11, 30)),
                 id="label-above-title-slash-date"),
    pytest.param("お客様各位\n\nサンプルクラウド サービス\nセキュリティに関する取り組み\n\n2024年12月1日\n第 1.1 版\n"
                 "一般社団法人 サンプル協会\n",
                 ("サンプルクラウド サービスセキュリティに関する取り組み", "一般社団法人 サンプル協会", "第 1.1 版",
                  D(2024, 12, 1)), id="audience-line-two-line-title"),
    pytest.param("サンプル監視サービス セキュリティ対策について\n\n発行日:令和元年5月7日\n発行元:合同会社サンプル\n",
                 ("サンプル監視サービス セキュリティ対策について", "合同会社サンプル", None, D(2019, 5, 7)),
                 id="labelled-fields-gannen"),
    pytest.param("Sample Cloud Security White Paper\n\nRev. 2\n\n2022年3月4日\n\n",
                 ("Sample Cloud Security White Paper", "Sample Systems Inc", "Rev. 2", D(2022, 3, 4)),
                 id="publisher-from-copyright-footer"),
    pytest.param("サンプルクラウド セキュリティホワイトペーパー\n\n第 1.0 版\n令和5年7月1日\n株式会社サンプル\n\n"
                 "改訂履歴\n\n版数\t日付\t内容\n第1.0版\t2023年7月1日\t初版\n第1.1版\t2024年2月15日\t記載修正\n" + TOC,
                 ("サンプルクラウド セキュリティホワイトペーパー", "株式会社サンプル", "第 1.0 版", D(2024, 2, 15)),
                 id="revision-row-newer-than-cover"),
    pytest.param("サンプルクラウド セキュリティホワイトペーパー\n\n株式会社サンプル\n\n"
                 "改訂履歴\n\n版数\t日付\t内容\n第1版\t2022/5/10\t初版\n第2版\t2023/9/1\t記載修正\n"
                 "第3版\t平成31年4月1日\t誤記訂正\n" + TOC,
                 ("サンプルクラウド セキュリティホワイトペーパー", "株式会社サンプル", "第2版", D(2023, 9, 1)),
                 id="no-cover-date-latest-revision-row-wins"),
    pytest.param("サンプルクラウド セキュリティホワイトペーパー\n\n第 1.0 版\n令和5年7月1日\n株式会社サンプル\n\n"
                 "改訂履歴\n\n版数\t日付\t内容\n第1.0版\t2023年7月1日\t初版\n第1.1版\t2024年2月15日\t記載修正\n",
                 ("サンプルクラウド セキュリティホワイトペーパー", "株式会社サンプル", "第 1.0 版", D(2024, 2, 15)),
                 id="revision-table-right-before-body"),
    pytest.param("サンプル監視サービス\nセキュリティホワイトペーパー\n\n第 1.0 版\n2024年6月1日\n株式会社サンプル\n",
                 ("サンプル監視サービスセキュリティホワイトペーパー", "株式会社サンプル", "第 1.0 版", D(2024, 6, 1)),
                 id="title-second-line-is-doc-type-word"),
    pytest.param("Sample Monitor\nセキュリティホワイトペーパー\n\n第 1.0 版\n2024年6月1日\n株式会社サンプル\n",
                 ("Sample Monitor セキュリティホワイトペーパー", "株式会社サンプル", "第 1.0 版", D(2024, 6, 1)),
                 id="title-lines-latin-then-japanese"),
    # a subtitle is not part of the title: framed by dashes, or after the document-type word
    pytest.param("サンプル勤怠クラウド\nクラウドセキュリティホワイトペーパー\n― ISO/IEC 27017 に基づく取り組み ―\n\n"
                 "第 2.1 版\n2024年8月19日\n株式会社サンプル\n",
                 ("サンプル勤怠クラウドクラウドセキュリティホワイトペーパー", "株式会社サンプル", "第 2.1 版", D(2024, 8, 19)),
                 id="dash-framed-subtitle"),
    pytest.param("Sample Data Hub\nCloud Security White Paper(クラウドセキュリティ ホワイトペーパー)\n"
                 "ISO/IEC 27017 / JIS Q 27017 への対応状況\n\nVersion 3.2\n2025年2月14日\nSample 株式会社\n",
                 ("Sample Data Hub Cloud Security White Paper(クラウドセキュリティ ホワイトペーパー)", "Sample 株式会社",
                  "Version 3.2", D(2025, 2, 14)),
                 id="subtitle-after-white-paper"),
]


@pytest.mark.parametrize("cover,expected", COVERS)
def test_synthetic_cover(catalog, cover, expected):
    assert as_tuple(meta_of(cover + BODY + FOOTER, catalog)) == expected


def test_revision_table_at_end_counts_for_published(catalog):
    cover = "サンプルクラウド セキュリティホワイトペーパー\n\n第 1.0 版\n2023年7月1日\n株式会社サンプル\n"
    history = "\n改訂履歴\n\n版数\t日付\t内容\n第1.0版\t2023年7月1日\t初版\n第1.1版\t2024年2月15日\t記載修正\n"
    assert as_tuple(meta_of(cover + BODY + history, catalog)) == (
        "サンプルクラウド セキュリティホワイトペーパー", "株式会社サンプル", "第 1.0 版", D(2024, 2, 15))


def test_pdf_info_fills_in_a_missing_title_but_its_creation_date_is_no_publication_date(catalog):
    layout = segment(normalize_text("第 1.0 版\n株式会社サンプル\n" + BODY), catalog)
    m = extract_metadata(layout, {"title": "サンプル文書", "creation_date": "2022-08-09T10:00:00+09:00"})
    assert as_tuple(m) == ("サンプル文書", "株式会社サンプル", "第 1.0 版", None)


@pytest.mark.parametrize("text,expected", [
    ("令和6年4月1日", D(2024, 4, 1)),
    ("令和 6 年 4 月 1 日", D(2024, 4, 1)),
    ("令和元年5月1日", D(2019, 5, 1)),
    ("平成31年4月30日", D(2019, 4, 30)),
    ("2024 年 10 月 7 日", D(2024, 10, 7)),
    ("2023/4/17", D(2023, 4, 17)),
    ("2023.04.17", D(2023, 4, 17)),
    ("2023-4-17", D(2023, 4, 17)),
    ("発行日 2025/04/01 第3版", D(2025, 4, 1)),
    ("2023年2月30日", None),
    ("第 1.0 版", None),
    ("12.3.1", None),
])
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("第 1.0 版", "第 1.0 版"),
    ("第3版", "第3版"),
    ("2024年4月1日 (第 2.0 版)", "第 2.0 版"),
    ("Ver.2.1", "Ver.2.1"),
    ("Version 3", "Version 3"),
    ("バージョン 1.5", "バージョン 1.5"),
    ("Rev. 4", "Rev. 4"),
    ("1.2版", "1.2版"),
    ("12.3.1 情報のバックアップ", None),
])
def test_find_version(text, expected):
    assert find_version(text) == expected


# --- the seeds ----------------------------------------------------------------------

def _no_space(s: str | None) -> str | None:
    """The scorer's comparison (shared/eval/score.py): NFKC without white space."""
    return None if s is None else "".join(unicodedata.normalize("NFKC", s).split())


@needs_corpus
@pytest.mark.parametrize("stem", SEED_STEMS)
def test_seed_metadata_matches_gold(catalog, stem):
    g = gold(stem)["documents"]
    m = meta_of(seed_text(stem), catalog)
    assert (m.publisher, m.version, m.published) == (g["publisher"], g["version"], D.fromisoformat(g["published"]))
    assert _no_space(m.title) == _no_space(g["title"])


@needs_corpus
@pytest.mark.parametrize("stem", SEED_STEMS)
def test_seed_title_exact(catalog, stem):
    assert meta_of(seed_text(stem), catalog).title == gold(stem)["documents"]["title"]


# --- web pages, help articles, SLA pages and sheets (real provider layouts) ---------

PAGE_BODY = "\n当社のサンプルサービスでは、お客様のデータを毎日バックアップしています。\n保存期間は30日です。\n"

# (page top, expected (title, publisher, version, published))
PAGES = [
    pytest.param("- ホーム\n- サンプルサービスのバックアップ\nサンプルサービスのバックアップ\n",
                 ("サンプルサービスのバックアップ", None, None, None), id="breadcrumbs-then-the-same-heading"),
    pytest.param("Samplecloud\n\nUsers\n\nガイド\nHome ガイド 基本 リファレンス\n\nサンプルサービスのデータ保管\n",
                 ("サンプルサービスのデータ保管", None, None, None), id="site-name-and-navigation-above"),
    pytest.param("バックアップの保存期間を教えてください。\n", ("バックアップの保存期間を教えてください。", None, None, None),
                 id="question-as-title"),
    pytest.param("サンプルサービスのデータ保管\n2023年5月8日\nページを印刷\n",
                 ("サンプルサービスのデータ保管", None, None, D(2023, 5, 8)), id="date-alone-on-its-line"),
    pytest.param("サンプルサービスのデータ保管\n最終更新日: 2023/05/08\n",
                 ("サンプルサービスのデータ保管", None, None, D(2023, 5, 8)), id="labelled-date"),
    pytest.param("サンプルサービスのデータ保管\n2021年4月1日以降にご契約のお客様は、保存期間が延長されます。\n",
                 ("サンプルサービスのデータ保管", None, None, None), id="date-inside-a-sentence"),
    pytest.param("サンプルサービスのデータ保管\n臨時休業日\n2024年8月13日(火)~2024年8月16日(金)\n",
                 ("サンプルサービスのデータ保管", None, None, None), id="range-of-dates"),
    pytest.param("サンプル品質保証規定書(SLA)\n\nサンプルデータ株式会社(以下「当社」)は、本規定を定めます。\n",
                 ("サンプル品質保証規定書(SLA)", "サンプルデータ株式会社", None, None), id="publisher-defined-as-tousha"),
    pytest.param("SLA\n\nサンプル品質合意書\n\n本サービスの運用は株式会社サンプル保守(以降、「弊社」と称す)が行う。\n",
                 ("サンプル品質合意書", "株式会社サンプル保守", None, None), id="label-then-title-publisher-yisou"),
    pytest.param("セキュリティホワイトペーパー\nSecurity Whitepaper\n目的\n本書の目的を説明します。\n適用範囲について\n",
                 ("セキュリティホワイトペーパー", None, None, None), id="doc-type-label-and-its-english-rendering"),
    pytest.param("サンプル基盤 サービス仕様書 第12版 2022-08-17\n\n7.1. 保守範囲\n\n7.1.1. 標準の保守範囲\n",
                 ("サンプル基盤 サービス仕様書", None, "第12版", D(2022, 8, 17)), id="title-version-date-on-one-line"),
    pytest.param("サンプルクラウド ホワイトペーパー 株式会社 サンプル フロンティア 2019 年 6 月 5 日(第 2 版)\n",
                 ("サンプルクラウド ホワイトペーパー", "株式会社 サンプル フロンティア", "第 2 版", D(2019, 6, 5)),
                 id="cover-on-one-line"),
    pytest.param("サンプルクラウド ホワイトペーパー\n第1版\nサンプル情報株式会社 セキュリティ推進室\n",
                 ("サンプルクラウド ホワイトペーパー", "サンプル情報株式会社", "第1版", None), id="department-after-the-company"),
    pytest.param("A | B | C | D |\n---|---|---|---|\n2 | サービスレベルの回答書 | 記入日: 2024/06/01 | |\n"
                 "3 | 会社名:サンプル株式会社 | | |\n",
                 ("サービスレベルの回答書", "サンプル株式会社", None, D(2024, 6, 1)), id="spreadsheet-title-rows"),
    pytest.param("| 種別 | 項目 | 回答 |\n|---|---|---|\n| 可用性 | 稼働率 | 99.9% |\n", (None, None, None, None),
                 id="a-table-header-is-no-title"),
    pytest.param("サンプル SLO(サービスレベル目標)\n可用性\nサービス時間\n24時間365日サービスを提供いたします。\n",
                 ("サンプル SLO(サービスレベル目標)", None, None, None), id="section-headings-are-not-joined"),
    pytest.param("お知らせ: 旧プランの新規受付は終了しました。\n\nドメイン取得キャンペーンについて\n\nサンプル稼働率保証制度\n\n"
                 "サンプルの稼働率保証制度を以下のとおり定めます。\n",
                 ("サンプル稼働率保証制度", None, None, None), id="a-link-to-another-page-is-skipped"),
    # real pages (issue 11): what is not a page's own heading
    pytest.param("Sample Cloud Logo\n\nsamplewhitepaper\nサンプル基盤セキュリティホワイトペーパー 2.0版\n",
                 ("サンプル基盤セキュリティホワイトペーパー", None, "2.0版", None), id="url-slug-and-logo-alt-text"),
    pytest.param("Loading\nサンプル SLA規定\n月間稼働率=(1-(停止時間÷総時間))×100\n月間稼働率=(1-(停止時間÷総時間))×100\n",
                 ("サンプル SLA規定", None, None, None), id="a-repeated-formula-is-no-heading"),
    pytest.param("表示:\n\nはじめに\n\n本サービスには複数のログがあります。\n", (None, None, None, None),
                 id="a-label-and-a-generic-section-name"),
    pytest.param("よくあるご質問 > 管理 > 監査ログ\nFAQ 監査ログを書き出すには\n-\n監査ログでは操作を確認できます。\n",
                 ("監査ログを書き出すには", None, None, None), id="help-centre-label-before-the-question"),
    pytest.param("サンプル社 ホーム\n受付時間:平日10:00~18:00\nホーム > 安全への取り組み > 障害時の対応方針\n\n障害時の対応方針\n",
                 ("障害時の対応方針", None, None, None), id="last-breadcrumb-repeated-as-heading"),
    pytest.param("サンプル.comで提供するサービスは、\nお客様に安心してお使いいただく為に\n以下の目標を定めています。\n"
                 "可用性\nサービス提供時間\n", (None, None, None, None), id="the-excerpt-starts-in-the-body"),
    pytest.param("【サンプルアプリ】(提供:株式会社サンプルラボ)の削除窓口です。\n",
                 (None, "株式会社サンプルラボ", None, None), id="provided-by-in-brackets"),
    pytest.param("サンプル基盤サービス\n\nサンプルテック株式会社は、サンプル基盤サービスを提供するにあたり、次の責任を負います。\n",
                 ("サンプル基盤サービス", "サンプルテック株式会社", None, None), id="the-company-that-provides"),
]


@pytest.mark.parametrize("top,expected", PAGES)
def test_web_page_metadata(catalog, top, expected):
    assert as_tuple(meta_of(top + PAGE_BODY, catalog)) == expected
