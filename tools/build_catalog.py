#!/usr/bin/env python3
"""Build the shipped control catalogue ``pipeline/data/controls.csv``.

Inputs
------
* the reference catalogue (``--reference``, default ``../shared/reference``
  relative to the repository root): ``controls_2013.csv`` (114 ISO/IEC
  27001:2013 Annex A controls), ``cld.csv`` (7 ISO/IEC 27017 CLD controls) and
  ``mapping_2013_2022.csv`` (2013 -> 2022 ids);
* the tables below: the JIS Q 27001:2014 Japanese titles the reference leaves
  empty (``MISSING_TITLES_JA``) and the plain section-heading wordings that
  whitepapers use for a control (``ALIASES``).

Output columns: ``control_id, framework, clause, title_en, title_ja,
title_ja_source, control_2022, aliases`` (aliases ``|``-separated, 2022 ids
``;``-separated).  Rows are in standard order (CLD controls after the Annex A
controls of the same category, as ISO/IEC 27017 prints them).

Run from anywhere::

    .venv/bin/python tools/build_catalog.py [--reference DIR] [--out FILE]

The build fails (exit 1, nothing written) when a check does not hold.
"""
from __future__ import annotations

import argparse
import csv
import re
import sys
import unicodedata
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_REFERENCE = REPO_ROOT / ".." / "shared" / "reference"
DEFAULT_OUT = REPO_ROOT / "pipeline" / "data" / "controls.csv"

COLUMNS = [
    "control_id", "framework", "clause", "title_en", "title_ja",
    "title_ja_source", "control_2022", "aliases",
]
FRAMEWORK_A = "ISO/IEC 27001:2013 Annex A"
FRAMEWORK_CLD = "ISO/IEC 27017:2015 CLD"
ID_RE = re.compile(r"^(A|CLD)\.(\d+)\.(\d+)\.(\d+)$")
EXPECTED_A = 114
EXPECTED_CLD = 7
# ISO/IEC 27001:2013 Annex A controls per clause (A.5 ... A.18).
EXPECTED_PER_CLAUSE = {
    5: 2, 6: 7, 7: 6, 8: 10, 9: 14, 10: 2, 11: 15, 12: 14,
    13: 7, 14: 13, 15: 5, 16: 7, 17: 4, 18: 8,
}

SOURCE_REFERENCE = "reference"
SOURCE_JIS = "JIS Q 27001:2014 (from knowledge)"
SOURCE_JIS_XCHECK = "JIS Q 27001:2014 (from knowledge; = reference title_2022_ja)"

# --------------------------------------------------------------------------
# JIS Q 27001:2014 Annex A titles that controls_2013.csv leaves empty.
# JIS typography as in the standard: ， between list items, 及び, 又は.
# --------------------------------------------------------------------------
MISSING_TITLES_JA: dict[str, str] = {
    "A.7.3.1": "雇用の終了又は変更に関する責任",
    "A.8.1.3": "資産利用の許容範囲",
    "A.8.1.4": "資産の返却",
    "A.8.3.2": "媒体の処分",
    "A.8.3.3": "物理的媒体の輸送",
    "A.9.2.6": "アクセス権の削除又は修正",
    "A.9.3.1": "秘密認証情報の利用",
    "A.9.4.2": "セキュリティに配慮したログオン手順",
    "A.9.4.5": "プログラムソースコードへのアクセス制御",
    "A.10.1.2": "鍵管理",
    "A.11.1.1": "物理的セキュリティ境界",
    "A.11.1.2": "物理的入退管理策",
    "A.11.1.3": "オフィス，部屋及び施設のセキュリティ",
    "A.11.1.4": "外部及び環境の脅威からの保護",
    "A.11.1.5": "セキュリティを保つべき領域での作業",
    "A.11.1.6": "受渡場所",
    "A.11.2.1": "装置の設置及び保護",
    "A.11.2.2": "サポートユーティリティ",
    "A.11.2.3": "ケーブル配線のセキュリティ",
    "A.11.2.5": "資産の移動",
    "A.11.2.6": "構外にある装置及び資産のセキュリティ",
    "A.11.2.8": "無人状態にある利用者装置",
    "A.12.1.1": "操作手順書",
    "A.12.4.2": "ログ情報の保護",
    "A.12.4.3": "実務管理者及び運用担当者の作業ログ",
    "A.12.5.1": "運用システムに関わるソフトウェアの導入",
    "A.12.6.2": "ソフトウェアのインストールの制限",
    "A.12.7.1": "情報システムの監査に対する管理策",
    "A.13.1.1": "ネットワーク管理策",
    "A.13.1.2": "ネットワークサービスのセキュリティ",
    "A.13.2.2": "情報転送に関する合意",
    "A.13.2.3": "電子的メッセージ通信",
    "A.13.2.4": "秘密保持契約又は守秘義務契約",
    "A.14.1.2": "公衆ネットワーク上のアプリケーションサービスのセキュリティの考慮",
    "A.14.1.3": "アプリケーションサービスのトランザクションの保護",
    "A.14.2.2": "システムの変更管理手順",
    "A.14.2.3": "オペレーティングプラットフォーム変更後のアプリケーションの技術的レビュー",
    "A.14.2.4": "パッケージソフトウェアの変更に対する制限",
    "A.14.2.5": "セキュリティに配慮したシステム構築の原則",
    "A.14.2.6": "セキュリティに配慮した開発環境",
    "A.14.2.7": "外部委託による開発",
    "A.14.2.8": "システムセキュリティの試験",
    "A.14.2.9": "システムの受入れ試験",
    "A.14.3.1": "試験データの保護",
    "A.15.2.2": "供給者のサービス提供の変更に対する管理",
    "A.16.1.3": "情報セキュリティ弱点の報告",
    "A.16.1.4": "情報セキュリティ事象の評価及び決定",
    "A.16.1.5": "情報セキュリティインシデントへの対応",
    "A.16.1.6": "情報セキュリティインシデントからの学習",
    "A.17.1.1": "情報セキュリティ継続の計画",
    "A.17.1.2": "情報セキュリティ継続の実施",
    "A.17.2.1": "情報処理施設の可用性",
    "A.18.1.4": "プライバシー及び個人を特定できる情報（PII）の保護",
    "A.18.2.2": "情報セキュリティのための方針群及び標準の順守",
}

# --------------------------------------------------------------------------
# Plain section-heading wordings used by Japanese ISO/IEC 27017 whitepapers
# instead of the official title.  Each alias must be specific enough that a
# heading naming it plainly is about that one control: no generic words, no
# alias shared by two controls.  Written as whitepapers write them (脆弱性,
# not ぜい弱性) and already NFKC-normalised.
# --------------------------------------------------------------------------
ALIASES: dict[str, list[str]] = {
    # 5 / 6 policies and organisation
    "A.5.1.1": ["情報セキュリティ方針", "情報セキュリティ基本方針", "情報セキュリティポリシー",
                "セキュリティポリシー"],
    "A.6.1.1": ["情報セキュリティ組織", "情報セキュリティ体制", "セキュリティ体制"],
    "A.6.1.2": ["職務分掌"],
    # ISO/IEC 27017 guidance for 6.1.3 is about the geographic location of data.
    "A.6.1.3": ["データセンター所在地", "データセンターの所在地", "地理的所在地",
                "データの保存場所", "データの保管場所", "データの所在地"],
    "A.6.2.2": ["テレワーク", "リモートワーク", "在宅勤務"],
    "CLD.6.3.1": ["責任分界", "責任範囲", "責任共有モデル", "共有責任モデル", "責任分担",
                  "役割分担"],
    # 7 human resources
    "A.7.2.2": ["情報セキュリティ教育", "セキュリティ教育", "セキュリティ研修", "従業員教育"],
    # 8 assets
    "A.8.1.1": ["資産台帳", "情報資産台帳", "情報資産の管理"],
    "CLD.8.1.5": ["データの消去", "データの削除", "契約終了後のデータ", "契約終了時のデータ", "解約時のデータ",
                  "解約後のデータ", "サービス利用停止後のデータ", "データの返却"],
    "A.8.2.1": ["データ分類", "情報の格付け"],
    "A.8.2.2": ["ラベル付け", "ラベリング"],
    "A.8.3.2": ["媒体の廃棄", "記録媒体の廃棄"],
    # 9 access control
    "A.9.1.1": ["アクセス制御ポリシー"],
    "A.9.1.2": ["ネットワークへのアクセス"],
    "A.9.2.1": ["アカウント管理", "ユーザー登録", "ユーザ登録", "ユーザー管理", "ユーザ管理"],
    "A.9.2.2": ["利用者アクセスの提供", "アクセス権の付与", "アクセス権限の付与",
                "プロビジョニング"],
    "A.9.2.3": ["特権ID管理", "特権IDの管理", "特権アカウントの管理", "管理者権限の管理"],
    "A.9.2.4": ["認証情報の管理"],
    "A.9.4.1": ["アクセス制限", "情報へのアクセス制御", "データへのアクセス制御"],
    "A.9.4.2": ["多要素認証", "二要素認証", "二段階認証", "MFA"],
    "A.9.4.3": ["パスワードポリシー"],
    "A.9.4.4": ["ユーティリティプログラム"],
    "CLD.9.5.1": ["テナント分離", "テナント間の分離", "マルチテナント", "仮想環境の分離",
                  "環境の隔離"],
    "CLD.9.5.2": ["要塞化", "ハードニング", "堅牢化", "仮想マシンのセキュリティ"],
    # 10 cryptography
    "A.10.1.1": ["暗号化", "データ暗号化", "データの暗号化", "通信の暗号化"],
    "A.10.1.2": ["暗号鍵管理", "暗号鍵の管理", "鍵の管理"],
    # 11 physical
    "A.11.1.2": ["入退室管理", "入退館管理"],
    "A.11.2.2": ["電源設備", "無停電電源装置"],
    "A.11.2.7": ["機器の廃棄", "装置の廃棄", "機器の処分", "ハードウェアの廃棄",
                 "ディスクの廃棄"],
    # 12 operations
    "A.12.1.1": ["運用手順書"],
    # ISO/IEC 27017 guidance for 12.1.2: tell customers about changes to the service.
    "A.12.1.2": ["変更通知", "変更の通知"],
    "A.12.1.3": ["容量管理", "容量・能力管理", "キャパシティ管理", "キャパシティプランニング"],
    "CLD.12.1.5": ["管理者用手順", "管理者手順", "重要な操作の手順"],
    "A.12.2.1": ["マルウェア対策", "ウイルス対策", "コンピュータウイルス対策", "アンチウイルス"],
    "A.12.3.1": ["バックアップ", "データのバックアップ"],
    "A.12.4.1": ["ログ", "ログ管理", "ログの取得", "ログ取得", "ログの保管", "アクセスログ"],
    "A.12.4.3": ["管理者ログ", "管理者操作ログ", "管理者の操作ログ"],
    "A.12.4.4": ["時刻同期", "時刻の同期", "時刻設定", "NTP", "タイムゾーン"],
    "CLD.12.4.5": ["監視", "サービス監視", "稼働監視", "死活監視", "システム監視",
                   "モニタリング"],
    "A.12.6.1": ["技術的脆弱性の管理", "脆弱性対応", "脆弱性管理", "脆弱性対策",
                 "脆弱性への対応", "脆弱性診断"],
    # 13 communications
    "A.13.1.1": ["ファイアウォール", "不正侵入検知"],
    "A.13.1.3": ["ネットワーク分離", "ネットワークの分割", "ネットワークセグメント"],
    "CLD.13.1.4": ["仮想ネットワーク", "仮想ネットワークのセキュリティ"],
    "A.13.2.4": ["守秘義務", "NDA"],
    # 14 development
    "A.14.1.1": ["セキュリティ要件", "セキュリティ要件定義"],
    "A.14.2.1": ["開発プロセス", "セキュア開発", "セキュアな開発", "セキュアコーディング"],
    # 15 suppliers
    "A.15.1.3": ["サプライチェーン", "サプライチェーン管理", "再委託"],
    # 16 incidents
    "A.16.1.1": ["インシデント対応", "インシデント管理", "インシデント対応プロセス"],
    "A.16.1.2": ["インシデント報告", "インシデントの報告", "インシデント通知",
                 "情報セキュリティ事故の報告"],
    "A.16.1.7": ["証拠保全", "フォレンジック"],
    # 17 continuity
    "A.17.1.1": ["事業継続", "事業継続計画", "BCP", "ディザスタリカバリ"],
    "A.17.2.1": ["冗長化", "冗長構成", "冗長性", "負荷分散"],
    # 18 compliance
    "A.18.1.1": ["準拠法", "準拠法と合意管轄", "合意管轄", "管轄裁判所", "適用法令"],
    "A.18.1.2": ["知的財産", "著作権", "ソフトウェアライセンス"],
    "A.18.1.3": ["記録の管理", "記録管理"],
    "A.18.1.4": ["個人情報保護", "個人情報の保護", "個人情報の取扱い", "プライバシーポリシー"],
    "A.18.1.5": ["暗号規制", "暗号の規制", "輸出規制"],
    "A.18.2.1": ["第三者認証", "第三者評価", "外部監査", "第三者による監査", "認証取得",
                 "情報セキュリティのパフォーマンス評価"],
}

# Words too generic to name one control; never allowed as an alias.
FORBIDDEN_ALIASES = {
    "セキュリティ", "情報セキュリティ", "管理", "サービス", "その他", "概要", "運用", "性能",
    "はじめに", "データ", "データ管理", "ネットワーク", "変更", "可用性", "監査", "契約",
    "サポート", "対応", "方針", "手順", "組織", "開発", "アクセス制御", "物理的セキュリティ",
    "認証", "パスワード", "サーバ", "インフラ", "クラウド", "メンテナンス", "体制",
}


class CatalogError(Exception):
    pass


def nfkc(s: str) -> str:
    return unicodedata.normalize("NFKC", s)


def id_key(control_id: str) -> tuple:
    m = ID_RE.match(control_id)
    if not m:
        raise CatalogError(f"bad control id {control_id!r}")
    prefix, a, b, c = m.groups()
    return (int(a), int(b), int(c), 0 if prefix == "A" else 1)


def read_csv(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        raise CatalogError(f"missing reference file {path}")
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def load_reference(ref: Path):
    controls = read_csv(ref / "controls_2013.csv")
    cld = read_csv(ref / "cld.csv")
    mapping = read_csv(ref / "mapping_2013_2022.csv")
    return controls, cld, mapping


def build_rows(ref: Path) -> list[dict[str, str]]:
    controls, cld, mapping = load_reference(ref)
    errors: list[str] = []

    # 2013 -> 2022 ids (in file order, de-duplicated) and 2022 titles (cross-check).
    to_2022: dict[str, list[str]] = {}
    title_2022_ja: dict[str, set[str]] = {}
    for m in mapping:
        ids = to_2022.setdefault(m["control_2013"], [])
        if m["control_2022"] not in ids:
            ids.append(m["control_2022"])
        if m.get("title_2022_ja"):
            title_2022_ja.setdefault(m["control_2013"], set()).add(m["title_2022_ja"])

    rows: list[dict[str, str]] = []
    ref_ids: set[str] = set()
    for framework, source_rows in ((FRAMEWORK_A, controls), (FRAMEWORK_CLD, cld)):
        for r in source_rows:
            cid = r["control_id"].strip()
            ref_ids.add(cid)
            title_ja = r["title_ja"].strip()
            if title_ja:
                source = SOURCE_REFERENCE
                if cid in MISSING_TITLES_JA and MISSING_TITLES_JA[cid] != title_ja:
                    errors.append(f"{cid}: table title {MISSING_TITLES_JA[cid]!r} "
                                  f"differs from reference {title_ja!r}")
            elif cid in MISSING_TITLES_JA:
                title_ja = MISSING_TITLES_JA[cid]
                same_2022 = title_ja in title_2022_ja.get(cid, set())
                source = SOURCE_JIS_XCHECK if same_2022 else SOURCE_JIS
            else:
                errors.append(f"{cid}: no title_ja in reference or table")
                source = ""
            rows.append({
                "control_id": cid,
                "framework": framework,
                "clause": r["clause"].strip(),
                "title_en": r["title_en"].strip(),
                "title_ja": title_ja,
                "title_ja_source": source,
                "control_2022": ";".join(to_2022.get(cid, [])),
                "aliases": "|".join(ALIASES.get(cid, [])),
            })

    for cid in sorted(set(MISSING_TITLES_JA) - ref_ids):
        errors.append(f"{cid}: title table names an id not in the reference")
    for cid in sorted(set(ALIASES) - ref_ids):
        errors.append(f"{cid}: alias table names an id not in the reference")
    for cid in sorted(set(to_2022) - ref_ids):
        errors.append(f"{cid}: mapping names an id not in the reference")

    errors.extend(validate(rows))
    if errors:
        raise CatalogError("\n".join(errors))
    rows.sort(key=lambda r: id_key(r["control_id"]))
    return rows


def validate(rows: list[dict[str, str]]) -> list[str]:
    errors: list[str] = []
    ids = [r["control_id"] for r in rows]
    if len(ids) != len(set(ids)):
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        errors.append(f"duplicate control ids: {dupes}")
    n_a = sum(r["framework"] == FRAMEWORK_A for r in rows)
    n_cld = sum(r["framework"] == FRAMEWORK_CLD for r in rows)
    if (n_a, n_cld) != (EXPECTED_A, EXPECTED_CLD):
        errors.append(f"expected {EXPECTED_A} A + {EXPECTED_CLD} CLD rows, got {n_a} + {n_cld}")
    per_clause: dict[int, int] = {}
    alias_owner: dict[str, str] = {}
    titles = {nfkc(r["title_ja"]): r["control_id"] for r in rows}
    for r in rows:
        cid = r["control_id"]
        m = ID_RE.match(cid)
        if not m:
            errors.append(f"bad control id {cid!r}")
            continue
        prefix = m.group(1)
        if (prefix == "A") != (r["framework"] == FRAMEWORK_A):
            errors.append(f"{cid}: framework {r['framework']!r} does not fit the id")
        if m.group(2) != r["clause"]:
            errors.append(f"{cid}: clause {r['clause']!r} does not fit the id")
        if prefix == "A":
            per_clause[int(m.group(2))] = per_clause.get(int(m.group(2)), 0) + 1
            if not r["control_2022"]:
                errors.append(f"{cid}: no control_2022")
        for field in ("title_en", "title_ja", "title_ja_source"):
            if not r[field]:
                errors.append(f"{cid}: empty {field}")
        if re.search(r"[、]|および|または", r["title_ja"]):
            errors.append(f"{cid}: title_ja {r['title_ja']!r} not in JIS typography")
        for alias in filter(None, r["aliases"].split("|")):
            if alias != alias.strip() or alias != nfkc(alias):
                errors.append(f"{cid}: alias {alias!r} not trimmed/NFKC")
            if alias in FORBIDDEN_ALIASES:
                errors.append(f"{cid}: alias {alias!r} is a forbidden generic word")
            owner = alias_owner.setdefault(alias, cid)
            if owner != cid:
                errors.append(f"alias {alias!r} shared by {owner} and {cid}")
            other = titles.get(alias)
            if other and other != cid:
                errors.append(f"{cid}: alias {alias!r} is the title of {other}")
        if len(set(r["aliases"].split("|"))) != len(r["aliases"].split("|")):
            errors.append(f"{cid}: repeated alias")
    if per_clause != EXPECTED_PER_CLAUSE:
        errors.append(f"per-clause counts {per_clause} != {EXPECTED_PER_CLAUSE}")
    return errors


def write_rows(rows: list[dict[str, str]], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(out.suffix + ".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    tmp.replace(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE,
                    help="reference folder (default: ../shared/reference from the repo root)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT,
                    help="output CSV (default: pipeline/data/controls.csv)")
    args = ap.parse_args(argv)
    try:
        rows = build_rows(args.reference.resolve())
    except CatalogError as exc:
        print(f"build_catalog: FAILED\n{exc}", file=sys.stderr)
        return 1
    write_rows(rows, args.out)
    filled = sum(r["title_ja_source"] != SOURCE_REFERENCE for r in rows)
    with_alias = [r for r in rows if r["aliases"]]
    n_alias = sum(len(r["aliases"].split("|")) for r in with_alias)
    print(f"wrote {args.out} ({len(rows)} controls; {filled} titles filled from the table; "
          f"{n_alias} aliases on {len(with_alias)} controls)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
