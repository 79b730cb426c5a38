"""More provider wordings, one sentence each, with the exact facts expected
(regression cases for RTO/RPO, 保存期間は N 年, 取得日から起算 and friends)."""
from __future__ import annotations

import pytest

from pipeline.process import analyse_text


def facts(text: str) -> list[tuple]:
    t = analyse_text(text)
    out = [("R", r["subject"], r["action"], r["value"], r["unit"], r["bound"], r["anchor"])
           for r in t["retention_periods"]]
    out += [("T", r["kind"], r["value"], r["unit"], r["bound"], r["frequency"], r["clock"], r["days_of_week"],
             r["anchor"], r["is_goal"]) for r in t["time_targets"]]
    out += [("Z", r["scope"], r["iana_tz"], r["sync_source"]) for r in t["log_timezones"]]
    return out


CASES = [
    ("ログは最低1年間保管し、その後速やかに削除します。", [("R", "logs", "retain", 1.0, "year", "min", None)]),
    ("お客様データは、ご契約終了後90日以内に当社の責任で削除いたします。",
     [("R", "customer_data", "delete", 90.0, "day", "max", "契約終了")]),
    ("アクセスログは6ヶ月間保存しています。", [("R", "logs", "retain", 6.0, "month", "exact", None)]),
    ("バックアップは毎日取得し、過去7日分を保持しています。",
     [("R", "backups", "retain", 7.0, "day", "exact", None),
      ("T", "backup_schedule", None, None, "exact", "daily", None, None, None, False)]),
    ("サービス稼働率は月間99.9%以上を目標としています。",
     [("T", "availability", 99.9, "percent", "min", None, None, None, None, True)]),
    ("重大なセキュリティインシデントが発生した場合は、発生から24時間以内にお客様へ通知します。",
     [("T", "incident_notification", 24.0, "hour", "max", None, None, None, "発生", False)]),
    ("障害発生時は、1時間以内に第一報をご連絡いたします。",
     [("T", "incident_notification", 1.0, "hour", "max", None, None, None, None, False)]),
    ("RTOは4時間、RPOは24時間としています。",
     [("T", "recovery", 4.0, "hour", "max", None, None, None, None, False),
      ("T", "backup_schedule", 24.0, "hour", "max", None, None, None, None, False)]),
    ("サポート窓口の受付時間は、平日9:00~17:00(土日祝日、年末年始を除く)です。",
     [("T", "support_hours", None, None, "exact", None, "09:00-17:00", "Mon-Fri", None, False)]),
    ("定期メンテナンスは毎月第2土曜日の2:00~6:00に実施します。",
     [("T", "maintenance_window", None, None, "exact", "monthly", "02:00-06:00", "Sat", None, False)]),
    ("システムの時刻はNTPサーバと同期しており、タイムゾーンはJST(UTC+9)です。",
     [("Z", "system", "Asia/Tokyo", "NTP")]),
    ("操作ログの保存期間は3年です。", [("R", "logs", "retain", 3.0, "year", "exact", None)]),
    ("データは解約後30日間保持された後、完全に削除されます。",
     [("R", "customer_data", "retain", 30.0, "day", "exact", "解約日")]),
    ("監査ログは7年間保管されます。", [("R", "logs", "retain", 7.0, "year", "exact", None)]),
    # frequency is for once per calendar period (contract); twice a year is an interval of 6 months
    ("脆弱性診断を年2回実施しています。",
     [("T", "vulnerability_check", 6.0, "month", "exact", None, None, None, None, False)]),
    ("月2回、ログを確認しています。", [("T", "log_review", 15.0, "day", "exact", None, None, None, None, False)]),
    ("1日2回、ウイルス定義ファイルを更新します。",
     [("T", "malware_update", 12.0, "hour", "exact", None, None, None, None, False)]),
    ("ウイルス定義ファイルは1日1回自動更新されます。",
     [("T", "malware_update", None, None, "exact", "daily", None, None, None, False)]),
    ("ログは90日経過後に自動的に削除されます。", [("R", "logs", "delete", 90.0, "day", "exact", None)]),
    ("ログの保存期間は、取得日から起算して13か月です。", [("R", "logs", "retain", 13.0, "month", "exact", "取得")]),
    ("障害復旧の目標時間は8時間以内です。",
     [("T", "recovery", 8.0, "hour", "max", None, None, None, None, True)]),
    # no kind in the contract for a support response time, no number for 直ちに
    ("お問い合わせへの回答は3営業日以内を目安としています。", []),
    ("退会後、アカウント情報は直ちに削除されます。", []),
    # regression: the interval of 1時間ごとに取得 was also read as a retention of 1 hour
    ("バックアップは1時間ごとに取得し、直近48時間分を保持しています。",
     [("R", "backups", "retain", 48.0, "hour", "exact", None),
      ("T", "backup_schedule", 1.0, "hour", "exact", None, None, None, None, False)]),
    ("監査ログは13か月間保管しています。", [("R", "logs", "retain", 13.0, "month", "exact", None)]),
    ("退会後30日でお客様データを完全に消去します。", [("R", "customer_data", "delete", 30.0, "day", "exact", "退会")]),
    ("計画メンテナンスは毎週水曜日 午前1時～午前4時に実施します。",
     [("T", "maintenance_window", None, None, "exact", "weekly", "01:00-04:00", "Wed", None, False)]),
    ("システムの時刻はNTPサーバーと同期し、協定世界時(UTC)で記録しています。", [("Z", "system", "UTC", "NTP")]),
    ("ログのタイムスタンプはUTC+9:00で出力されます。", [("Z", "logs", "Asia/Tokyo", None)]),
    # found with synthetic whitepapers of other layouts
    ("ご契約終了日から60日以内に、お客様データ及びバックアップデータを削除します。",
     [("R", "customer_data", "delete", 60.0, "day", "max", "契約終了"),
      ("R", "backups", "delete", 60.0, "day", "max", "契約終了")]),
    ("バックアップ上に残るデータは、削除の完了から三十日以内に上書きにより消去されます。",
     [("R", "backups", "delete", 30.0, "day", "max", "データ消去")]),
    ("日次でバックアップを複製し、複製したデータは7日間保管しています。",
     [("R", "backups", "retain", 7.0, "day", "exact", None),
      ("T", "backup_schedule", None, None, "exact", "daily", None, None, None, False)]),
    ("バックアップは7世代で順次上書きされるため、削除から7日以内にバックアップからも消去されます。",
     [("R", "backups", "retain", 7.0, "generation", "exact", None),
      ("R", "backups", "delete", 7.0, "day", "max", "データ消去")]),
    ("お客様データの保存期間は特に定めておりません。", [("R", "customer_data", "retain", None, None, "indefinite", None)]),
    ("保存期間を定めログを取得しています。", [("R", "logs", "retain", None, None, "unspecified", None)]),
    ("ログは1年間、バックアップは7日間保存します。",
     [("R", "logs", "retain", 1.0, "year", "exact", None), ("R", "backups", "retain", 7.0, "day", "exact", None)]),
    ("本サービスは、計画メンテナンスの時間帯を除き、24時間365日ご利用いただけます。",
     [("T", "service_hours", None, None, "exact", None, "00:00-24:00", "Mon-Sun", None, False)]),
    ("サポートは年末年始を除き、平日9時から17時まで受け付けています。",
     [("T", "support_hours", None, None, "exact", None, "09:00-17:00", "Mon-Fri", None, False)]),
    ("月間稼働率が99.9%を下回った場合、月額利用料の10%を返金します。",
     [("T", "availability", 99.9, "percent", "exact", None, None, None, None, False)]),
    ("OS及びミドルウェアの脆弱性情報を収集し、月一回の定期点検において修正プログラムの適用要否を判断しています。",
     [("T", "vulnerability_check", None, None, "exact", "monthly", None, None, None, False)]),
    ("本サービスの稼働状況を二十四時間三百六十五日の体制で監視しています。",
     [("T", "monitoring", None, None, "exact", None, "00:00-24:00", "Mon-Sun", None, False)]),
    ("お客様の予約データは、毎晩、自動的にバックアップしています。",
     [("T", "backup_schedule", None, None, "exact", "daily", None, None, None, False)]),
    # second round of synthetic whitepapers
    ("Scheduled maintenance:毎月第 2 土曜日 22:00〜翌 2:00(JST)",
     [("T", "maintenance_window", None, None, "exact", "monthly", "22:00-02:00", "Sat", None, False)]),
    ("サポート窓口:平日 十時~十七時(電話 03-5555-0290)",
     [("T", "support_hours", None, None, "exact", None, "10:00-17:00", "Mon-Fri", None, False)]),
    ("システム時刻及びお客様に提供するログの時刻は、協定世界時(UTC)に統一しています。",
     [("Z", "system", "UTC", None), ("Z", "logs", "UTC", None)]),
    ("Log の timestamp は UTC で記録され、ISO 8601 形式で末尾に Z が付きます。", [("Z", "logs", "UTC", None)]),
    ("監査証跡ファイルにも、日時は日本標準時で出力されます。", [("Z", "logs", "Asia/Tokyo", None)]),
    ("バックアップ領域に残るデータも、契約終了日から最大21日で消去されます。",
     [("R", "backups", "delete", 21.0, "day", "max", "契約終了")]),
    ("お客様データおよびそのバックアップは、契約終了日から60日以内に削除します。",
     [("R", "customer_data", "delete", 60.0, "day", "max", "契約終了"),
      ("R", "backups", "delete", 60.0, "day", "max", "契約終了")]),
    ("CPU使用率を5分間隔で計測しています。", [("T", "monitoring", 5.0, "minute", "exact", None, None, None, None, False)]),
    ("Support desk:24/7", [("T", "support_hours", None, None, "exact", None, "00:00-24:00", "Mon-Sun", None, False)]),
    ("vulnerability scan を毎日(daily)自動で実行しています。",
     [("T", "vulnerability_check", None, None, "exact", "daily", None, None, None, False)]),
    ("当社は法令で定められた期間、ログを保存します。", [("R", "logs", "retain", None, None, "unspecified", None)]),
    # third round: key-value rows, checklists, plans
    ("ログ保存期間\t1年間", [("R", "logs", "retain", 1.0, "year", "exact", None)]),
    ("バックアップからの削除\tデータ削除後、最長7日で消去", [("R", "backups", "delete", 7.0, "day", "max", "データ消去")]),
    ("バックアップ内のデータは、最終バックアップ取得日から14日経過後に自動で消去されます。",
     [("R", "backups", "delete", 14.0, "day", "exact", "取得")]),
    ("内部監査を年2回実施しています。", [("T", "audit", 6.0, "month", "exact", None, None, None, None, False)]),
    ("その他のインシデントは当日中にメールで報告します。",
     [("T", "incident_notification", 1.0, "day", "max", None, None, None, None, False)]),
    ("ログに記録される時刻、及び操作履歴画面に表示される時刻は、いずれも日本標準時(JST)です。",
     [("Z", "logs", "Asia/Tokyo", None), ("Z", "display", "Asia/Tokyo", None)]),
    ("ログとして記録される時刻は日本時間です。", [("Z", "logs", "Asia/Tokyo", None)]),
    ("お客様データは、解約日から90日を経過した時点で、本番環境及びバックアップから完全に削除します。",
     [("R", "customer_data", "delete", 90.0, "day", "exact", "解約日"),
      ("R", "backups", "delete", 90.0, "day", "exact", "解約日")]),
    # web, FAQ and SLA layouts of real provider pages (issue 11), invented wordings
    ("DBのダンプファイルは5日間保管しています。", [("R", "backups", "retain", 5.0, "day", "exact", None)]),
    ("ストレージ全体について、2年分(週次で8週分、月次で2年分)のバックアップを取得しています。",
     [("R", "backups", "retain", 8.0, "week", "exact", None), ("R", "backups", "retain", 2.0, "year", "exact", None),
      ("T", "backup_schedule", None, None, "exact", "weekly", None, None, None, False),
      ("T", "backup_schedule", None, None, "exact", "monthly", None, None, None, False)]),
    ("ファイルのバックアップは次のように行われます。\n・差分バックアップ:6時間おき\n・操作ログ:常時\n・保持期間:14日",
     [("R", "backups", "retain", 14.0, "day", "exact", None),
      ("T", "backup_schedule", 6.0, "hour", "exact", None, None, None, None, False)]),
    ("アクセスログをダウンロードできます。\n・保管期間は最長24か月です。", [("R", "logs", "retain", 24.0, "month", "max", None)]),
    ("操作ログの保存期間\nプルダウンから保存期間を選びます。初期値は1年間に設定されています。",
     [("R", "logs", "retain", 1.0, "year", "exact", None)]),
    ("アップロードした図面データの保管に期限はありません。",
     [("R", "customer_data", "retain", None, None, "indefinite", None)]),
    ("監視周期 |\n対象による。最短の項目は5分間隔 |", [("T", "monitoring", 5.0, "minute", "min", None, None, None, None, False)]),
    ("ホストが故障した場合でも、約3分以内に待機系へ切り替わります。",
     [("T", "recovery", 3.0, "minute", "max", None, None, None, None, False)]),
    ("監査ログは30分おきに生成されます。", [("T", "log_collection", 30.0, "minute", "exact", None, None, None, None, False)]),
    ("定期メンテナンス\n作業時間は6時間以内を目標としています。",
     [("T", "maintenance_window", 6.0, "hour", "max", None, None, None, None, True)]),
    ("毎月第1日曜日の2:00から最大4時間メンテナンスを行います。",
     [("T", "maintenance_window", None, None, "exact", "monthly", "02:00-", "Sun", None, False),
      ("T", "maintenance_window", 4.0, "hour", "max", None, None, "Sun", None, False)]),
    ("チャット窓口\n対応時間: 8:30 ~ 20:00\n土曜日\n対応時間: 10:00 ~ 16:00",
     [("T", "support_hours", None, None, "exact", None, "08:30-20:00,10:00-16:00", None, None, False)]),
    ("古いデータは毎日削除されます。この削除処理は午前3時(UTC)に始まります。",
     [("T", "deletion_schedule", None, None, "exact", "daily", None, None, None, False),
      ("T", "deletion_schedule", None, None, "exact", None, "03:00", None, None, False)]),
    ("アクセスログの項目\n| 発生日時(UTC) | 操作したユーザー | 操作内容 |", [("Z", "logs", "UTC", None)]),
    ("・検索日時の入力形式: JST", [("Z", "display", "Asia/Tokyo", None)]),
    ("年に1回以上、第三者によるセキュリティ評価を実施する。",
     [("T", "audit", None, None, "min", "yearly", None, None, None, False)]),
    ("ただし月 1 回の OS アップデートおよび再起動を行います。",
     [("T", "maintenance_window", None, None, "exact", "monthly", None, None, None, False)]),
    ("120日以上前の操作ログは自動で削除されます。", [("R", "logs", "delete", 120.0, "day", "min", None)]),
    # a credit table's first tier under a 稼働率 header is the level promised, at least
    ("月間稼働率 返金率\n99.95%未満 10%\n99.0%未満 30%",
     [("T", "availability", 99.95, "percent", "min", None, None, None, None, False)]),
]


@pytest.mark.parametrize("text,expected", CASES, ids=[c[0][:16] for c in CASES])
def test_wording(text, expected):
    assert sorted(facts(text), key=repr) == sorted(expected, key=repr)


def test_generation_interval_from_another_sentence_of_the_section():
    rows = analyse_text("バックアップは毎日取得しています。\n取得したバックアップは14世代保持します。\n")["retention_periods"]
    assert [(r["value"], r["unit"], r["frequency"], r["days"]) for r in rows] == [(14.0, "generation", "daily", 14.0)]


def test_merged_schedule_keeps_the_window_timezone():
    rows = analyse_text("計画メンテナンスは毎週水曜日 午前1時~午前4時(日本時間)に実施します。\n")["time_targets"]
    assert [(r["kind"], r["frequency"], r["clock"], r["days_of_week"], r["timezone"]) for r in rows] == [
        ("maintenance_window", "weekly", "01:00-04:00", "Wed", "Asia/Tokyo")]
