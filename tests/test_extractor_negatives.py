"""Negative, table-driven tests of the fact extractors: sentences that look
like a fact (a number, a %, a duration word, a timezone word, ログ inside
ログイン, a control number in quotes...) but must yield NO row in the named
table(s). Run end to end through ``analyse_text``.

Cases are grouped by cause (what makes the sentence look like a fact): a
new negative case goes into the group of its cause, or a new group.
"""
from __future__ import annotations

import pytest

from extractor_cases import RET, TT, TZ, heading, tables

CTRL = "controls"
FACTS = (RET, TT, TZ)


H_LOG = heading("12.4.1", "イベントログ取得")
H_CAPACITY = heading("12.1.3", "容量・能力の管理")
H_CRYPTO = heading("10.1.1", "暗号による管理策の利用方針")

NEGATIVES_BY_CAUSE = {
    'a timeout, lockout or account rule: a period, but nothing is kept': [
        pytest.param("一定期間操作をしない場合は自動的にログアウトします。", (RET, TT), id="session-timeout-logout"),
        pytest.param("一定期間操作がない場合、セッションを切断します。", (RET, TT), id="session-timeout-disconnect"),
        pytest.param("ログアウト後、30分間は同じ端末から再ログインできません。", (RET, TT), id="logout-30min"),
        pytest.param("パスワードの入力を5回失敗した場合、30分間ロックします。", (RET, TT), id="lockout-30min"),
        pytest.param("パスワードを5回以上続けて間違えるとアカウントをロックします。", (RET, TT), id="lockout-5-times"),
        pytest.param("担当者の退職時には3営業日以内にアカウントを無効化します。", (RET, TT), id="account-disable-3bd"),
        pytest.param(H_LOG + "ログインIDは90日間使用されない場合に無効化します。", (RET, TT), id="login-id-90d-under-log-heading"),
        pytest.param("一定期間操作がない場合、入力中のデータは保存されません。", (RET,), id="timeout-not-saved"),
    ],
    'a length, size or count': [
        pytest.param("パスワードは10桁以上の英数字を組み合わせて設定してください。", FACTS, id="password-10-digits"),
        pytest.param("パスワードは8文字以上とし、定期的な変更を推奨します。", FACTS, id="password-8-chars"),
        pytest.param("暗号鍵の長さは256ビット以上とします。", FACTS, id="key-256-bits"),
        pytest.param("TLS1.2以上の暗号化通信を使用します。", FACTS, id="tls-1.2"),
        pytest.param("お客様データは最大100GBまで保存できます。", (RET,), id="capacity-100gb-made"),
        pytest.param("お客様データは3つのリージョンに複製して保管します。", (RET,), id="three-regions"),
        pytest.param("お客様データは国内のデータセンター2か所に保管します。", (RET,), id="two-datacentres"),
        pytest.param("障害発生時には担当者2名以上で対応します。", (TT, RET), id="two-staff"),
        pytest.param("4\tデータの保管場所を明示しているか(A.6.1.3)\t〇\t日本国内", FACTS, id="check-mark-is-no-zero"),
    ],
    'a date, version, standard, section number or address': [
        pytest.param("本書は2024年4月1日に改訂しました。", FACTS, id="date-revised"),
        pytest.param("本資料は2023年10月時点の情報です。", FACTS, id="date-as-of"),
        pytest.param("第2.0版", FACTS, id="version-dai-2.0-han"),
        pytest.param("本サービスはISO/IEC 27017:2015に準拠しています。", FACTS, id="iso-27017-2015"),
        pytest.param("JIS Q 27001:2014の管理策に対応しています。", FACTS, id="jis-q-27001-2014"),
        pytest.param("詳細は「12.3.1 情報のバックアップ」を参照してください。", (RET, TT, CTRL), id="quoted-section-number"),
        pytest.param(H_CRYPTO + "「12.4.1 イベントログ取得」に記載のとおり、ログを取得します。", (RET, TT),
                 id="quoted-section-under-heading"),
        pytest.param("当社の所在地は東京都千代田区1-2-3です。", FACTS, id="address"),
    ],
    'a percentage that is no availability: a threshold, a share, a discount or an SLA credit': [
        pytest.param("契約容量の90%を超過した際にお客様へ通知します。", (TT,), id="capacity-90-percent"),
        pytest.param("ディスク使用率が80%を超えた場合にアラートを通知します。", (TT,), id="disk-80-percent"),
        pytest.param("CPU使用率が95%以上の状態が続いた場合はお客様に通知します。", (TT,), id="cpu-95-percent"),
        pytest.param(H_CAPACITY + "ストレージ使用量が80%に達した時点でお客様へ通知します。", (TT,), id="storage-80-under-heading"),
        pytest.param("稼働率の算出方法は別紙3に定めます。", (TT,), id="availability-no-value"),
        pytest.param("従業員の約90%が情報セキュリティ研修を受講しています。", (TT,), id="staff-90-percent"),
        pytest.param("本サービスの価格の10%を割引します。", (TT,), id="discount-10-percent"),
        pytest.param("99.95%未満 99.0%以上\t当月の月額利用料の10%", (TT,), id="sla-credit-tier"),
        pytest.param("稼働率の保証を下回った場合は、月額利用料の25%を減額します。", (TT,), id="fee-percent"),
        pytest.param("99.0%未満\t当月の月額利用料の25%", (TT,), id="sla-credit-last-tier"),
        pytest.param("SLA を下回った月は、月額利用料の10%(エンタープライズプランは最大30%)を返金します。", (TT,),
                 id="refund-percent-in-parentheses"),
    ],
    'no frequency, or a recurring thing of no kind': [
        pytest.param("アクセス権限は定期的に見直します。", (TT,), id="teikiteki-minaoshi"),
        pytest.param("ログを定期的に確認しています。", (TT,), id="log-teikiteki"),
        pytest.param("脆弱性診断の結果は定期的にお客様へ報告します。", (TT,), id="vuln-teikiteki"),
        pytest.param("プログラムの更新は月次で実施します。", (TT,), id="program-update-not-log"),
        pytest.param("パスワードは90日ごとに変更を求めます。", (TT, RET), id="password-90-days"),
        pytest.param("ライセンスは1年ごとに更新します。", (TT,), id="licence-yearly"),
        pytest.param("サービスの契約期間は1年間とし、自動更新されます。", (RET,), id="contract-1-year"),
        pytest.param("作業中のファイルは一時保存されます。", (TT,), id="ichiji-hozon"),
    ],
    "no target: a condition, a deadline, a notice's lead time, a class of work": [
        pytest.param("計画メンテナンスについては、実施日の14日前までにお知らせします。", (TT,), id="advance-notice"),
        pytest.param("ステータス0 | 5分以内に自動復旧した場合 ※インシデントとしない |", (TT,), id="level-definition-condition"),
        pytest.param("返金申請の期限は、障害発生日の翌月の15日までです。", (TT,), id="claim-deadline-day-of-month"),
        pytest.param("メンテナンスのお知らせは実施の7日前、終了時に掲載します。", (TT,), id="notice-lead-time-comma"),
        pytest.param("影響が10分以内の軽微なメンテナンス", (TT,), id="maintenance-class-not-length"),
        pytest.param("データは契約終了後、30日間は復元可能です。", (TT,), id="window-while-possible"),
        pytest.param("データの復元は、契約期間の終了後 30 日間行うことができます。", (TT,), id="span-while-possible"),
        pytest.param("※累計停止時間が5分未満は切り捨てとする。", (TT,), id="downtime-rounding"),
        pytest.param("停止が継続した時間とし、1分未満の時間は切り上げます。", (TT,), id="downtime-rounding-up"),
        pytest.param("監視システムで毎月1日から当該月末日までの稼働率を測定します。", (TT,), id="measured-month-is-no-job"),
        pytest.param("バックアップ\n・事業継続計画を策定し、年1回以上訓練を実施する。", (TT,),
                     id="own-activity-under-backup-heading"),
        pytest.param("返金基準\n99.5%未満 10%", (TT,), id="credit-tier-without-availability-header"),
        # no kind in the contract for a support response time, no number for 直ちに
        pytest.param("お問い合わせへの回答は3営業日以内を目安としています。", FACTS, id="support-response-time"),
    ],
    'not about logs (ログイン, プログラム ...) or not a keeping of data': [
        pytest.param("ログインIDは利用者ごとに発行します。", FACTS, id="login-id"),
        pytest.param("ログイン画面には前回ログイン日時を表示します。", FACTS, id="login-screen"),
        pytest.param("お客様はいつでもデータを削除できます。", (RET,), id="customer-may-delete"),
        pytest.param("お客様データを含む媒体は、廃棄時に物理的に破壊します。", (RET,), id="media-destroyed"),
        pytest.param("データは暗号化された状態で保存します。", (RET,), id="encrypted-at-rest"),
        pytest.param("必要なデータは削除しないようご注意ください。", (RET,), id="advice-do-not-delete"),
        pytest.param("お客様の求めに応じて、データを永久に消去します。", (RET,), id="erased-for-good-is-no-indefinite"),
        pytest.param("8週間以上前の操作ログを書き出す場合の形式を設定します。", (RET,), id="age-of-logs-exported"),
        pytest.param("言語の初期値は英語に設定されています。", (RET,), id="default-that-is-no-period"),
        pytest.param("セッションの有効期限はございません。", (RET,), id="validity-without-keeping"),
        pytest.param(H_LOG + "ログインIDの有効期限は無期限です。", (RET,), id="login-id-mukigen-under-log-heading"),
        pytest.param("退会後、アカウント情報は直ちに削除されます。", FACTS, id="deleted-at-once-no-number"),
    ],
    "a period of other records, a law's period, a plan or a notice before cancelling": [
        pytest.param("なお、法人税法では帳簿書類の保存期間が原則として七年と定められています。", (RET,), id="legal-period"),
        pytest.param("契約関連書類\t契約終了後7年間保管", (RET,), id="row-about-other-records"),
        pytest.param("請求書などの帳票類は、法令に従い7年間保存します。", (RET,), id="topic-other-records"),
        pytest.param("削除時期の調整をご希望の場合は、ご解約の1か月前までにお申し出ください。", (RET,), id="notice-before-cancel"),
        pytest.param("2025年4月よりログの保存期間を2年に延長する予定です。", (RET,), id="planned-change"),
        pytest.param("取引・請求に関する情報は、法令で定められた期間保管した後、削除します。", (RET,),
                     id="records-the-law-keeps"),
        pytest.param("91日前から365日前の版を1日1つ保持します。", (RET,), id="age-tier-kept"),
    ],
    'a question, which states no fact': [
        pytest.param("Q. ログを3年間保管してもらうことはできますか?", FACTS, id="question"),
        pytest.param("障害時には何時間以内に連絡をもらえますか。", FACTS, id="question-without-mark"),
    ],
    "a zone that is no log timezone: a contract's law, a support desk's or a schedule's zone, a setting, an exception": [
        pytest.param("本契約は日本法に準拠します。", (TZ,), id="nihon-ho"),
        pytest.param("サポート窓口の受付時間は平日9時~18時(日本時間)です。", (TZ,), id="support-nihon-jikan"),
        pytest.param("お問い合わせはJSTの平日9時~17時に受け付けます。", (TZ,), id="inquiry-jst"),
        pytest.param("お問い合わせ窓口:平日9時~17時(日本時間、年末年始を除く)", (TZ,), id="inquiry-label-nihon-jikan"),
        pytest.param("日本時間の午前2時にバックアップを取得します。", (TZ,), id="backup-nihon-jikan"),
        pytest.param("当社エンジニアはJSTQB認定を取得しています。", (TZ,), id="jstqb"),
        pytest.param("タイムゾーンの設定はお客様が任意に変更できます。", (TZ,), id="timezone-setting"),
        pytest.param("ログは日本国内のデータセンターに保存します。", (TZ, RET), id="log-in-japan"),
        pytest.param("システムメンテナンスは日本時間の深夜に実施します。", (TZ,), id="maintenance-nihon-jikan"),
        pytest.param("サーバメンテナンスは日本時間で土曜22時から実施します。", (TZ,), id="maintenance-saturday"),
        pytest.param("バックアップの取得時刻は毎日23:00(日本時間)です。", (TZ,), id="schedule-zone"),
        pytest.param("ただし、一部の画面では UTC で表示されることがあります。", (TZ,), id="partial-exception"),
        pytest.param("画面のログが自動的に日本時間に修正されることはありません。", (TZ,), id="negated-zone"),
        pytest.param("日本時間 3/2 09:00 にログインと表示されます。", (TZ,), id="zone-of-one-moment"),
    ],
}
NEGATIVE_CASES = [case for cases in NEGATIVES_BY_CAUSE.values() for case in cases]


@pytest.mark.parametrize("text,tables_without_rows", NEGATIVE_CASES)
def test_no_row(text, tables_without_rows):
    out = tables(text)
    for table in tables_without_rows:
        assert out[table] == [], f"{table} for {text!r}"
