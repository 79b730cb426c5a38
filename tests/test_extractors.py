"""Several fact tables at once: a sentence's full output in retention_periods,
time_targets and log_timezones (one table's cases are in its own file; see
extractor_cases)."""
from __future__ import annotations

import pytest

from extractor_cases import RET, TT, TZ, check, heading, ret, tt

H_BACKUP = heading("12.3.1", "情報のバックアップ")

MULTI_CASES = [
    pytest.param("サポート窓口の受付時間は平日9時~18時(日本時間)です。",
                 {TT: [tt("support_hours", clock="09:00-18:00", days="Mon-Fri", tz="Asia/Tokyo")],
                  TZ: [], RET: []}, id="multi-support-nihon-jikan"),
    pytest.param("お問い合わせは平日10時~17時(日本時間)に受け付けます。",
                 {TT: [tt("support_hours", clock="10:00-17:00", days="Mon-Fri", tz="Asia/Tokyo")],
                  TZ: []}, id="multi-inquiry-nihon-jikan"),
    pytest.param("ヘルプデスク(日本時間 平日9:00~18:00)",
                 {TT: [tt("support_hours", clock="09:00-18:00", days="Mon-Fri", tz="Asia/Tokyo")],
                  TZ: []}, id="multi-helpdesk-label"),
    pytest.param("計画メンテナンスは日本時間の土曜日22時~翌6時に行います。",
                 {TT: [tt("maintenance_window", clock="22:00-06:00", days="Sat", tz="Asia/Tokyo")],
                  TZ: []}, id="multi-maintenance-overnight"),
    pytest.param("日本時間の午前2時にバックアップを取得します。",
                 {TT: [tt("backup_schedule", frequency="daily", clock="02:00", tz="Asia/Tokyo")],
                  TZ: [], RET: []}, id="multi-backup-2am-jst"),
    pytest.param("バックアップは日次で7世代保持します。",
                 {RET: [ret("backups", "retain", 7, "generation", "exact", frequency="daily")],
                  TT: [tt("backup_schedule", frequency="daily")], TZ: []}, id="multi-generations-schedule"),
    pytest.param("スナップショットは毎日取得し、30日間保管します。",
                 {RET: [ret("backups", "retain", 30, "day", "exact")],
                  TT: [tt("backup_schedule", frequency="daily")]}, id="multi-snapshot-daily-30d"),
    pytest.param(H_BACKUP + "毎日深夜2時に取得し、7日間保管します。",
                 {RET: [ret("backups", "retain", 7, "day", "exact", control_id="A.12.3.1")],
                  TT: [tt("backup_schedule", frequency="daily", clock="02:00", control_id="A.12.3.1")]},
                 id="multi-heading-backup"),
    pytest.param("削除対象のデータは毎月末日の深夜0時に消去します。",
                 {TT: [tt("deletion_schedule", frequency="monthly", clock="00:00")], RET: []},
                 id="multi-deletion-schedule-not-retention"),
    pytest.param("お客様データは解約日から30日以内に削除します。",
                 {RET: [ret("customer_data", "delete", 30, "day", "max", anchor="解約日")], TT: []},
                 id="multi-retention-not-time-target"),
    # provider wordings, one sentence each
    pytest.param('バックアップは毎日取得し、過去7日分を保持しています。',
                 {RET: [ret('backups', 'retain', 7, 'day', 'exact')],
                  TT: [tt('backup_schedule', frequency='daily')],
                  TZ: []},
                 id='multi-バックアップは毎日取得し、過去7'),
    # regression: the interval of 1時間ごとに取得 was also read as a retention of 1 hour
    pytest.param('バックアップは1時間ごとに取得し、直近48時間分を保持しています。',
                 {RET: [ret('backups', 'retain', 48, 'hour', 'exact')],
                  TT: [tt('backup_schedule', value=1, unit='hour')],
                  TZ: []},
                 id='multi-バックアップは1時間ごとに取得し'),
    pytest.param('日次でバックアップを複製し、複製したデータは7日間保管しています。',
                 {RET: [ret('backups', 'retain', 7, 'day', 'exact')],
                  TT: [tt('backup_schedule', frequency='daily')],
                  TZ: []},
                 id='multi-日次でバックアップを複製し、複製'),
    pytest.param('ストレージ全体について、2年分(週次で8週分、月次で2年分)のバックアップを取得しています。',
                 {RET: [ret('backups', 'retain', 8, 'week', 'exact', frequency='weekly'),
                         ret('backups', 'retain', 2, 'year', 'exact', frequency='monthly')],
                  TT: [tt('backup_schedule', frequency='weekly'),
                        tt('backup_schedule', frequency='monthly')],
                  TZ: []},
                 id='multi-ストレージ全体について、2年分('),
    pytest.param('ファイルのバックアップは次のように行われます。\n・差分バックアップ:6時間おき\n・操作ログ:常時\n・保持期間:14日',
                 {RET: [ret('backups', 'retain', 14, 'day', 'exact')],
                  TT: [tt('backup_schedule', value=6, unit='hour')],
                  TZ: []},
                 id='multi-ファイルのバックアップは次のよう'),
]


@pytest.mark.parametrize("text,expected", MULTI_CASES)
def test_full_output(text, expected):
    for table, rows in expected.items():
        check(text, table, rows)



def test_section_candidates_sifted_once_each_caller_own_list():
    """SectionContext.candidates keeps its sifting (every extractor asks) but
    hands out a fresh list each time."""
    from extractors import SectionContext
    from pipeline.nlp import split_sentences
    text = "ログは1年間保存します。はじめに。バックアップを取得しますか?"
    ctx = SectionContext("d", text, None, split_sentences(text), lambda _: None, None, [])
    first = ctx.candidates()
    assert [s.text for _, s in first] == ["ログは1年間保存します。"]
    first.clear()
    assert ctx.candidates() == [(0, split_sentences(text)[0])]


def test_timezone_sync_source_read_only_when_a_row_needs_it(monkeypatch):
    """The section-wide NTP/provider search runs once for a section that
    gives timezone rows, and not at all for one that gives none."""
    from types import SimpleNamespace
    from extractors import SectionContext, timezones
    from pipeline.nlp import split_sentences
    calls = []
    real = timezones._sync_source
    monkeypatch.setattr(timezones, "_sync_source", lambda t: calls.append(t) or real(t))

    def rows(text):
        ctx = SectionContext("d", text, SimpleNamespace(start=0, end=len(text)), split_sentences(text),
                             lambda _: None, None, [])
        return timezones.extract(ctx)

    assert rows("ログは1年間保存します。") == [] and calls == []
    out = rows("ログの時刻は日本標準時(JST)です。システム時刻はUTCで記録します。時刻はNTPで同期しています。")
    assert len(out) >= 2 and {r["sync_source"] for r in out} == {"NTP"}
    assert len(calls) == 1