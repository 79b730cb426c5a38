"""log_timezones: input text -> every row of the table (see extractor_cases)."""
from __future__ import annotations

import pytest

from extractor_cases import TZ, check, heading, tz

H_CLOCK = heading("12.4.4", "クロックの同期")

TZ_CASES = [
    pytest.param("ログは、JSTで出力されます。",
                 [tz("logs", "Asia/Tokyo", "+09:00")], id="tz-logs-jst"),
    pytest.param("お客様に提供するログは、UTC+9で出力されます。",
                 [tz("logs", "Asia/Tokyo", "+09:00")], id="tz-logs-utc+9"),
    pytest.param("ログはUTC(協定世界時)で記録されます。",
                 [tz("logs", "UTC", "+00:00")], id="tz-logs-utc-gloss-one-row"),
    pytest.param("サーバの時刻はAmazon Time Sync Serviceと同期しています。ログのタイムスタンプはUTC+9です。",
                 [tz("logs", "Asia/Tokyo", "+09:00", "cloud_provider")], id="tz-logs-timesync-provider"),
    pytest.param("管理画面には日本標準時で表示します。",
                 [tz("display", "Asia/Tokyo", "+09:00")], id="tz-display"),
    pytest.param("本サービスのシステム時刻はUTCです。",
                 [tz("system", "UTC", "+00:00")], id="tz-system-utc"),
    pytest.param("システム内部の時刻は協定世界時で管理しています。",
                 [tz("system", "UTC", "+00:00")], id="tz-system-kyotei"),
    pytest.param("システム時刻はGMT+9で統一しています。",
                 [tz("system", "Asia/Tokyo", "+09:00")], id="tz-system-gmt+9"),
    pytest.param("システムの時刻はNTPサーバと同期し、日本標準時(UTC+9)で管理しています。",
                 [tz("system", "Asia/Tokyo", "+09:00", "NTP")], id="tz-system-ntp-gloss"),
    pytest.param("サーバの時刻はクラウド事業者が提供する時刻同期サービスと同期しています。"
                 "システム内部の時刻は+09:00で管理します。",
                 [tz("system", "Asia/Tokyo", "+09:00", "cloud_provider")], id="tz-system-offset-provider"),
    pytest.param(H_CLOCK + "各サーバはNTPにより時刻を同期しており、タイムゾーンはJSTです。",
                 [tz("system", "Asia/Tokyo", "+09:00", "NTP", control_id="A.12.4.4")], id="tz-heading-ntp-jst"),
    pytest.param(H_CLOCK + "本サービスのサーバ群はNTPで時刻同期を行い、日本標準時に合わせています。",
                 [tz("system", "Asia/Tokyo", "+09:00", "NTP", control_id="A.12.4.4")], id="tz-heading-ntp-nihon"),
    # the scope is the topic's (ログの時刻 is the logs', not the system's)
    pytest.param("ログの時刻はJSTで記録します。",
                 [tz("logs", "Asia/Tokyo", "+09:00")], id="tz-log-time-jst"),
    pytest.param("ログのタイムスタンプはUTCで記録されます。",
                 [tz("logs", "UTC", "+00:00")], id="tz-log-timestamp-utc"),
    pytest.param("ログファイルの時刻は、すべて協定世界時で出力されます。",
                 [tz("logs", "UTC", "+00:00")], id="tz-logfile-time"),
    pytest.param("画面に表示される時刻は日本時間です。",
                 [tz("display", "Asia/Tokyo", "+09:00")], id="tz-display-time"),
    # provider wordings, one sentence each
    pytest.param('システムの時刻はNTPサーバと同期しており、タイムゾーンはJST(UTC+9)です。',
                 [tz('system', 'Asia/Tokyo', '+09:00', sync='NTP')],
                 id='tz-システムの時刻はNTPサーバと同'),
    pytest.param('システムの時刻はNTPサーバーと同期し、協定世界時(UTC)で記録しています。',
                 [tz('system', 'UTC', '+00:00', sync='NTP')],
                 id='tz-システムの時刻はNTPサーバーと'),
    pytest.param('ログのタイムスタンプはUTC+9:00で出力されます。',
                 [tz('logs', 'Asia/Tokyo', '+09:00')],
                 id='tz-ログのタイムスタンプはUTC+9'),
    pytest.param('システム時刻及びお客様に提供するログの時刻は、協定世界時(UTC)に統一しています。',
                 [tz('system', 'UTC', '+00:00'),
                  tz('logs', 'UTC', '+00:00')],
                 id='tz-システム時刻及びお客様に提供する'),
    pytest.param('Log の timestamp は UTC で記録され、ISO 8601 形式で末尾に Z が付きます。',
                 [tz('logs', 'UTC', '+00:00')],
                 id='tz-Log の timestamp'),
    pytest.param('監査証跡ファイルにも、日時は日本標準時で出力されます。',
                 [tz('logs', 'Asia/Tokyo', '+09:00')],
                 id='tz-監査証跡ファイルにも、日時は日本'),
    pytest.param('ログに記録される時刻、及び操作履歴画面に表示される時刻は、いずれも日本標準時(JST)です。',
                 [tz('logs', 'Asia/Tokyo', '+09:00'),
                  tz('display', 'Asia/Tokyo', '+09:00')],
                 id='tz-ログに記録される時刻、及び操作履'),
    pytest.param('ログとして記録される時刻は日本時間です。',
                 [tz('logs', 'Asia/Tokyo', '+09:00')],
                 id='tz-ログとして記録される時刻は日本時'),
    pytest.param('アクセスログの項目\n| 発生日時(UTC) | 操作したユーザー | 操作内容 |',
                 [tz('logs', 'UTC', '+00:00')],
                 id='tz-アクセスログの項目 | 発生日時'),
    pytest.param('・検索日時の入力形式: JST',
                 [tz('display', 'Asia/Tokyo', '+09:00')],
                 id='tz-・検索日時の入力形式: JST'),
]


@pytest.mark.parametrize("text,expected", TZ_CASES)
def test_log_timezones(text, expected):
    check(text, TZ, expected)

