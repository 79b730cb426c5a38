"""Tests for extractors.quantities: tables of input -> exact expected output;
the negative phrases, grouped by cause, are in quantity_negatives.py."""
from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings, strategies as st


from extractors.quantities import (  # noqa: E402
    UNITS, Clock, DaysOfWeek, Frequency, Quantity, find_clocks, find_days_of_week,
    find_frequencies, find_quantities, iso_duration, parse_number, to_days, to_hours,
)
from quantity_negatives import (  # noqa: E402
    NO_CLOCK, NO_DAYS_OF_WEEK, NO_FREQUENCY, NO_QUANTITY,
)

# --------------------------------------------------------------------------
# parse_number
# --------------------------------------------------------------------------

NUMBER_CASES = [
    ('72', 72.0), ('3.5', 3.5), ('1,000', 1000.0), (' 35 ', 35.0),
    ('七十二', 72.0), ('三十', 30.0), ('一', 1.0), ('十', 10.0), ('二十四', 24.0),
    ('百', 100.0), ('千', 1000.0), ('一万', 10000.0), ('〇', 0.0), ('1万', 10000.0),
    ('三百六十五', 365.0), ('二〇二一', 2021.0), ('1.5万', 15000.0), ('千二百', 1200.0),
    ('abc', None), ('', None), ('1,00', None), ('1.2.3', None), ('三日', None), ('-3', None),
]


@pytest.mark.parametrize('text,expected', NUMBER_CASES)
def test_parse_number(text, expected):
    assert parse_number(text) == expected


# --------------------------------------------------------------------------
# find_quantities: text -> [(value, unit, bound, value_to, matched text)]
# --------------------------------------------------------------------------

QUANTITY_CASES = [
    # the examples of the brief
    ('最低1年間は保管', [(1.0, 'year', 'min', None, '最低1年間')]),
    ('1年間以上保存', [(1.0, 'year', 'min', None, '1年間以上')]),
    ('72 時間以内', [(72.0, 'hour', 'max', None, '72 時間以内')]),
    ('2週間程度', [(2.0, 'week', 'approx', None, '2週間程度')]),
    ('過去 35 日分', [(35.0, 'day', 'exact', None, '35 日')]),
    ('10稼働日以内', [(10.0, 'business_day', 'max', None, '10稼働日以内')]),
    ('99%', [(99.0, 'percent', 'exact', None, '99%')]),
    ('99.9%以上', [(99.9, 'percent', 'min', None, '99.9%以上')]),
    ('3~5営業日', [(3.0, 'business_day', 'exact', 5.0, '3~5営業日')]),
    ('3~5日', [(3.0, 'day', 'exact', 5.0, '3~5日')]),
    ('3日~5日', [(3.0, 'day', 'exact', 5.0, '3日~5日')]),
    ('3から5日', [(3.0, 'day', 'exact', 5.0, '3から5日')]),
    ('5分毎', [(5.0, 'minute', 'exact', None, '5分')]),
    ('即日対応', [(1.0, 'day', 'max', None, '即日')]),
    # other subjects, orders and wordings
    ('監査ログは少なくとも 6 か月間保持する。', [(6.0, 'month', 'min', None, '少なくとも 6 か月間')]),
    ('インシデントは発覚後二十四時間以内に報告', [(24.0, 'hour', 'max', None, '二十四時間以内')]),
    ('バックアップは 7 世代まで保持します', [(7.0, 'generation', 'max', None, '7 世代まで')]),
    ('稼働率 99.95 % 以上を目標とする', [(99.95, 'percent', 'min', None, '99.95 % 以上')]),
    ('削除後およそ30日で完全消去', [(30.0, 'day', 'approx', None, 'およそ30日')]),
    ('復旧まで約 4 時間', [(4.0, 'hour', 'approx', None, '約 4 時間')]),
    ('保存期間は最長で 180 日', [(180.0, 'day', 'max', None, '最長で 180 日')]),
    ('通常2~3週間を目安に回答します', [(2.0, 'week', 'approx', 3.0, '2~3週間を目安')]),
    ('5営業日~10営業日で納品', [(5.0, 'business_day', 'exact', 10.0, '5営業日~10営業日')]),
    ('3日から5日までに', [(3.0, 'day', 'exact', 5.0, '3日から5日まで')]),
    ('パスワードは90日を超えない期間で変更', [(90.0, 'day', 'max', None, '90日を超えない')]),
    ('連続 5 年超の利用', [(5.0, 'year', 'min', None, '5 年超')]),
    ('1年弱の猶予', [(1.0, 'year', 'approx', None, '1年弱')]),
    ('三か月ごとに見直す', [(3.0, 'month', 'exact', None, '三か月')]),
    ('6カ月間', [(6.0, 'month', 'exact', None, '6カ月間')]),
    ('12ヶ月', [(12.0, 'month', 'exact', None, '12ヶ月')]),
    ('3ケ月', [(3.0, 'month', 'exact', None, '3ケ月')]),
    ('6箇月', [(6.0, 'month', 'exact', None, '6箇月')]),
    ('3月間の試行', [(3.0, 'month', 'exact', None, '3月間')]),
    ('十日以内', [(10.0, 'day', 'max', None, '十日以内')]),
    ('十分以内に応答', [(10.0, 'minute', 'max', None, '十分以内')]),
    ('七十二時間', [(72.0, 'hour', 'exact', None, '七十二時間')]),
    ('1,000日', [(1000.0, 'day', 'exact', None, '1,000日')]),
    ('1時間30分以内', [(90.0, 'minute', 'max', None, '1時間30分以内')]),
    ('1年6ヶ月', [(18.0, 'month', 'exact', None, '1年6ヶ月')]),
    ('1時間半', [(1.5, 'hour', 'exact', None, '1時間半')]),
    ('2.5日', [(2.5, 'day', 'exact', None, '2.5日')]),
    ('15 分間隔で取得', [(15.0, 'minute', 'exact', None, '15 分間')]),
    ('3日以上7日以下', [(3.0, 'day', 'min', None, '3日以上'), (7.0, 'day', 'max', None, '7日以下')]),
    ('RTO 4時間、RPO 1時間', [(4.0, 'hour', 'exact', None, '4時間'), (1.0, 'hour', 'exact', None, '1時間')]),
    ('~5日', [(5.0, 'day', 'max', None, '~5日')]),
    ('1日8時間', [(1.0, 'day', 'exact', None, '1日'), (8.0, 'hour', 'exact', None, '8時間')]),
    ('2021年10月7日から3年間', [(3.0, 'year', 'exact', None, '3年間')]),
    ('ログを365日保存', [(365.0, 'day', 'exact', None, '365日')]),
    ('24時間以内に通知', [(24.0, 'hour', 'max', None, '24時間以内')]),
    ('最短2日で開設', [(2.0, 'day', 'min', None, '最短2日')]),
    ('3年前のログ', [(3.0, 'year', 'exact', None, '3年')]),
]


def _q(q: Quantity):
    return (q.value, q.unit, q.bound, q.value_to, q.text)


@pytest.mark.parametrize('text,expected', QUANTITY_CASES)
def test_find_quantities(text, expected):
    found = find_quantities(text)
    assert [_q(q) for q in found] == expected
    for q in found:
        assert text[q.start:q.end] == q.text
        assert q.unit in UNITS


def test_quantity_offsets():
    text = 'ログは最低でも 1 年間保管し、直近 3 か月分は即時参照できる。'
    assert find_quantities(text) == [
        Quantity(1.0, 'year', 3, 12, 'min', None, '最低でも 1 年間'),
        Quantity(3.0, 'month', 19, 23, 'exact', None, '3 か月'),
    ]


def test_quantity_is_frozen():
    q = find_quantities('72時間')[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        q.value = 1.0  # type: ignore[misc]


@pytest.mark.parametrize('text', NO_QUANTITY)
def test_no_quantity(text):
    assert find_quantities(text) == []


# --------------------------------------------------------------------------
# find_frequencies: text -> [(frequency, interval, count, bound, text)]
# --------------------------------------------------------------------------

FREQUENCY_CASES = [
    ('日次でバックアップを取得', [('daily', None, None, 'exact', '日次')]),
    ('毎日', [('daily', None, None, 'exact', '毎日')]),
    ('日々の運用', [('daily', None, None, 'exact', '日々')]),
    ('1日1回', [('daily', None, 1.0, 'exact', '1日1回')]),
    ('1日に1回', [('daily', None, 1.0, 'exact', '1日に1回')]),
    ('1日3回取得', [('daily', None, 3.0, 'exact', '1日3回')]),
    ('デイリーバックアップ', [('daily', None, None, 'exact', 'デイリー')]),
    ('週次レポート', [('weekly', None, None, 'exact', '週次')]),
    ('毎週月曜に実施', [('weekly', None, None, 'exact', '毎週月曜')]),
    ('毎日曜日の深夜', [('weekly', None, None, 'exact', '毎日曜日')]),
    ('週1回', [('weekly', None, 1.0, 'exact', '週1回')]),
    ('週に1回', [('weekly', None, 1.0, 'exact', '週に1回')]),
    ('ウィークリー', [('weekly', None, None, 'exact', 'ウィークリー')]),
    ('月次で報告', [('monthly', None, None, 'exact', '月次')]),
    ('毎月1日に実施', [('monthly', None, None, 'exact', '毎月')]),
    ('は月1回', [('monthly', None, 1.0, 'exact', '月1回')]),
    ('月に1回', [('monthly', None, 1.0, 'exact', '月に1回')]),
    ('毎月1回', [('monthly', None, 1.0, 'exact', '毎月1回')]),
    ('月例パッチ', [('monthly', None, None, 'exact', '月例')]),
    ('年次で監査', [('yearly', None, None, 'exact', '年次')]),
    ('毎年', [('yearly', None, None, 'exact', '毎年')]),
    ('年1回', [('yearly', None, 1.0, 'exact', '年1回')]),
    ('年に1回', [('yearly', None, 1.0, 'exact', '年に1回')]),
    ('年に一回', [('yearly', None, 1.0, 'exact', '年に一回')]),
    ('年一回', [('yearly', None, 1.0, 'exact', '年一回')]),
    ('1年に1回', [('yearly', None, 1.0, 'exact', '1年に1回')]),
    ('年間1回', [('yearly', None, 1.0, 'exact', '年間1回')]),
    ('年に2回', [('yearly', None, 2.0, 'exact', '年に2回')]),
    ('2回/年', [('yearly', None, 2.0, 'exact', '2回/年')]),
    ('最低でも年に一回', [('yearly', None, 1.0, 'min', '最低でも年に一回')]),
    ('年1回以上実施', [('yearly', None, 1.0, 'min', '年1回以上')]),
    ('毎時', [('hourly', None, None, 'exact', '毎時')]),
    ('1時間ごと', [(None, (1.0, 'hour'), None, 'exact', '1時間ごと')]),
    ('5分毎', [(None, (5.0, 'minute'), None, 'exact', '5分毎')]),
    ('2時間ごとに取得', [(None, (2.0, 'hour'), None, 'exact', '2時間ごとに')]),
    ('5分おき', [(None, (5.0, 'minute'), None, 'exact', '5分おき')]),
    ('5分間隔', [(None, (5.0, 'minute'), None, 'exact', '5分間隔')]),
    ('毎30分', [(None, (30.0, 'minute'), None, 'exact', '毎30分')]),
    ('約10分ごと', [(None, (10.0, 'minute'), None, 'approx', '約10分ごと')]),
    ('3日に1回', [(None, (3.0, 'day'), 1.0, 'exact', '3日に1回')]),
    ('3ヶ月に1回以上', [(None, (3.0, 'month'), 1.0, 'min', '3ヶ月に1回以上')]),
    ('半年に1回', [(None, (6.0, 'month'), 1.0, 'exact', '半年に1回')]),
    ('隔週', [(None, (2.0, 'week'), None, 'exact', '隔週')]),
    ('四半期ごと', [(None, (3.0, 'month'), None, 'exact', '四半期ごと')]),
    ('ログは日次で取得し、月次で確認、年に2回監査する',
     [('daily', None, None, 'exact', '日次'), ('monthly', None, None, 'exact', '月次'),
      ('yearly', None, 2.0, 'exact', '年に2回')]),
]


def _f(f: Frequency):
    return (f.frequency, f.interval, f.count, f.bound, f.text)


@pytest.mark.parametrize('text,expected', FREQUENCY_CASES)
def test_find_frequencies(text, expected):
    found = find_frequencies(text)
    assert [_f(f) for f in found] == expected
    for f in found:
        assert text[f.start:f.end] == f.text


@pytest.mark.parametrize('text', NO_FREQUENCY)
def test_no_frequency(text):
    assert find_frequencies(text) == []


# --------------------------------------------------------------------------
# find_clocks: text -> [(clock, open_end, text)]
# --------------------------------------------------------------------------

CLOCK_CASES = [
    ('10:00', [('10:00', False, '10:00')]),
    ('10時', [('10:00', False, '10時')]),
    ('10時30分', [('10:30', False, '10時30分')]),
    ('9時半', [('09:30', False, '9時半')]),
    ('午前10時', [('10:00', False, '午前10時')]),
    ('午後6時', [('18:00', False, '午後6時')]),
    ('午後6時00分', [('18:00', False, '午後6時00分')]),
    ('深夜0時', [('00:00', False, '深夜0時')]),
    ('深夜2時に再起動', [('02:00', False, '深夜2時')]),
    ('正午', [('12:00', False, '正午')]),
    ('午後十時', [('22:00', False, '午後十時')]),
    ('午前10時~午前12時', [('10:00-12:00', False, '午前10時~午前12時')]),
    ('10:00~18:00', [('10:00-18:00', False, '10:00~18:00')]),
    ('10時~12時', [('10:00-12:00', False, '10時~12時')]),
    ('9:00-17:30', [('09:00-17:30', False, '9:00-17:30')]),
    ('9~17時', [('09:00-17:00', False, '9~17時')]),
    ('午後1時~5時', [('13:00-17:00', False, '午後1時~5時')]),
    ('午前9時から午後5時30分まで', [('09:00-17:30', False, '午前9時から午後5時30分まで')]),
    ('22:00~翌6:00', [('22:00-06:00', False, '22:00~翌6:00')]),
    ('20時~深夜0時', [('20:00-24:00', False, '20時~深夜0時')]),
    ('午前10時~午前12時 / 午後1時~午後6時00分',
     [('10:00-12:00,13:00-18:00', False, '午前10時~午前12時 / 午後1時~午後6時00分')]),
    ('10時から12時まで、13時から17時まで',
     [('10:00-12:00,13:00-17:00', False, '10時から12時まで、13時から17時まで')]),
    ('9:00~12:00,13:00~17:00', [('09:00-12:00,13:00-17:00', False, '9:00~12:00,13:00~17:00')]),
    ('18時以降', [('18:00-', True, '18時以降')]),
    ('午後6時以降は翌営業日', [('18:00-', True, '午後6時以降')]),
    ('受付 18:00~', [('18:00-', True, '18:00~')]),
    ('24時間365日', [('00:00-24:00', False, '24時間365日')]),
    ('24時間/365日体制で監視', [('00:00-24:00', False, '24時間/365日')]),
    ('24時間対応', [('00:00-24:00', False, '24時間')]),
    ('受付時間: 24時間', [('00:00-24:00', False, '24時間')]),
    ('24時間', [('00:00-24:00', False, '24時間')]),
    ('24/7 で監視', [('00:00-24:00', False, '24/7')]),
    ('2021年10月7日 10:00 に公開', [('10:00', False, '10:00')]),
    ('平日 9:00~17:00(土日祝日を除く)', [('09:00-17:00', False, '9:00~17:00')]),
]


def _c(c: Clock):
    return (c.clock, c.open_end, c.text)


@pytest.mark.parametrize('text,expected', CLOCK_CASES)
def test_find_clocks(text, expected):
    found = find_clocks(text)
    assert [_c(c) for c in found] == expected
    for c in found:
        assert text[c.start:c.end] == c.text


@pytest.mark.parametrize('text', NO_CLOCK)
def test_no_clock(text):
    assert find_clocks(text) == []


# --------------------------------------------------------------------------
# find_days_of_week: text -> [(days, holidays, excluded, text)]
# --------------------------------------------------------------------------

DAYS_CASES = [
    ('月~金', [('Mon-Fri', False, False, '月~金')]),
    ('月曜日~金曜日', [('Mon-Fri', False, False, '月曜日~金曜日')]),
    ('月曜~金曜', [('Mon-Fri', False, False, '月曜~金曜')]),
    ('月曜日から金曜日まで', [('Mon-Fri', False, False, '月曜日から金曜日まで')]),
    ('(月-土)', [('Mon-Sat', False, False, '月-土')]),
    ('平日', [('Mon-Fri', False, False, '平日')]),
    ('土日', [('Sat-Sun', False, False, '土日')]),
    ('土日祝', [('Sat-Sun', True, False, '土日祝')]),
    ('土・日・祝日', [('Sat-Sun', True, False, '土・日・祝日')]),
    ('月・水・金', [('Mon,Wed,Fri', False, False, '月・水・金')]),
    ('毎週火曜日', [('Tue', False, False, '火曜日')]),
    ('365日', [('Mon-Sun', False, False, '365日')]),
    ('年中無休', [('Mon-Sun', False, False, '年中無休')]),
    ('毎日9:00~17:00', [('Mon-Sun', False, False, '毎日')]),
    ('24時間365日', [('Mon-Sun', False, False, '365日')]),
    ('平日(土日祝日を除く)', [('Mon-Fri', False, False, '平日'), ('Sat-Sun', True, True, '土日祝日を除く')]),
    ('受付時間:月曜日~金曜日 10:00~18:00', [('Mon-Fri', False, False, '月曜日~金曜日')]),
    ('毎月第3日曜日に停止', [('Sun', False, False, '日曜日')]),
    ('平日9:00~18:00(土日祝日、年末年始を除く)',
     [('Mon-Fri', False, False, '平日'), ('Sat-Sun', True, True, '土日祝日、年末年始を除く')]),
    ('サポート: 365日', [('Mon-Sun', False, False, '365日')]),
]


def _d(d: DaysOfWeek):
    return (d.days, d.holidays, d.excluded, d.text)


@pytest.mark.parametrize('text,expected', DAYS_CASES)
def test_find_days_of_week(text, expected):
    found = find_days_of_week(text)
    assert [_d(d) for d in found] == expected
    for d in found:
        assert text[d.start:d.end] == d.text


@pytest.mark.parametrize('text', NO_DAYS_OF_WEEK)
def test_no_days_of_week(text):
    assert find_days_of_week(text) == []


# The day indices (0 = Monday) a phrase names, and the days that remain
# (DaysOfWeek.included: for 土日祝を除く, the others).
DAY_INDEX_CASES = [
    ('月~金', (0, 1, 2, 3, 4), 'Mon-Fri'),
    ('金~月', (4, 5, 6, 0), 'Fri-Mon'),            # a range past Sunday wraps
    ('月・水・金', (0, 2, 4), 'Mon,Wed,Fri'),
    ('第3日曜日', (6,), 'Sun'),
    ('平日', (0, 1, 2, 3, 4), 'Mon-Fri'),
    ('24時間365日', tuple(range(7)), 'Mon-Sun'),
    ('土日祝日を除く', (5, 6), 'Mon-Fri'),
    ('水曜日を除く', (2,), 'Mon,Tue,Thu,Fri,Sat,Sun'),
    ('金~月は休業', (4, 5, 6, 0), 'Tue-Thu'),
    ('年中無休を除く', tuple(range(7)), None),      # nothing remains
]


@pytest.mark.parametrize('text,indices,included', DAY_INDEX_CASES)
def test_day_indices_and_the_days_that_remain(text, indices, included):
    [d] = find_days_of_week(text)
    assert (d.indices, d.included()) == (indices, included)


# --------------------------------------------------------------------------
# conversions
# --------------------------------------------------------------------------

ISO_CASES = [
    (5, 'minute', 'PT5M'), (72, 'hour', 'PT72H'), (35, 'day', 'P35D'), (2, 'week', 'P2W'),
    (6, 'month', 'P6M'), (1, 'year', 'P1Y'), (1.5, 'hour', 'PT1.5H'), (72.0, 'hour', 'PT72H'),
    (10, 'business_day', None), (3, 'generation', None), (99.9, 'percent', None),
]


@pytest.mark.parametrize('value,unit,expected', ISO_CASES)
def test_iso_duration(value, unit, expected):
    assert iso_duration(value, unit) == expected


CONVERSION_CASES = [  # value, unit, days, hours
    (72, 'hour', 3.0, 72.0), (1, 'day', 1.0, 24.0), (10, 'business_day', 14.0, 336.0),
    (2, 'week', 14.0, 336.0), (6, 'month', 180.0, 4320.0), (1, 'year', 365.0, 8760.0),
    (1440, 'minute', 1.0, 24.0), (30, 'minute', 30 / 1440, 0.5),
    (3, 'generation', None, None), (99, 'percent', None, None),
]


@pytest.mark.parametrize('value,unit,days,hours', CONVERSION_CASES)
def test_to_days_and_hours(value, unit, days, hours):
    assert to_days(value, unit) == days
    assert to_hours(value, unit) == hours


# --------------------------------------------------------------------------
# property: nothing raises, spans are inside the text
# --------------------------------------------------------------------------

FINDERS = (find_quantities, find_frequencies, find_clocks, find_days_of_week)
_FRAGMENTS = ['72', '時間', '以内', '~', '日', '月', '年', '分', '十', '二十四', '午後', '時',
              ':', '00', '10', '%', '営業日', 'ヶ', '毎', '回', 'に', '金', '曜', '土日', '祝',
              '365', '24', ' ', '、', '/', '.', '第', '以上', '約', '半', '除く', '\n', '\x00']


def _check_spans(text):
    for finder in FINDERS:
        for item in finder(text):
            assert 0 <= item.start <= item.end <= len(text)
            assert item.text == text[item.start:item.end]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec='utf-8', exclude_categories=('Cs',)), max_size=300))
def test_property_arbitrary_text(text):
    _check_spans(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=60).map(''.join))
def test_property_fragment_soup(text):
    _check_spans(text)


@settings(max_examples=20, deadline=None)
@given(st.lists(st.sampled_from(_FRAGMENTS), min_size=1, max_size=20).map(''.join),
       st.integers(min_value=200, max_value=2000))
def test_property_very_long_lines(chunk, times):
    _check_spans(chunk * times)


# --------------------------------------------------------------------------
# the substring pre-checks skip only text the regexes cannot match
# --------------------------------------------------------------------------

_PRECHECK_FRAGMENTS = _FRAGMENTS + ['三百六十五', '2', '4', '3', '6', '5', '1', '一', '体制', '対応', '×', 'x', '7',
                                    '正午', '正', '午', '午前', 'AM', '翌', '当日', '半', '九', '17', '9', 'から',
                                    '受付時間', 'は', '。', ')']


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_PRECHECK_FRAGMENTS), max_size=30).map(''.join))
def test_prechecks_never_skip_a_match(text):
    from extractors.quantities.clocks import BARE_START_HOUR_RE, CLOCK_POINT_RE, _may_hold_clock
    from extractors.quantities.round_the_clock import (BARE_24H_RE, BARE_365_RE, ROUND_THE_CLOCK_RE,
                                                       SERVICE_365_RE, may_hold_round_the_clock)
    if not may_hold_round_the_clock(text):
        assert not any(r.search(text) for r in (ROUND_THE_CLOCK_RE, SERVICE_365_RE, BARE_24H_RE, BARE_365_RE))
    if not _may_hold_clock(text):
        assert not CLOCK_POINT_RE.search(text) and not BARE_START_HOUR_RE.search(text)


@pytest.mark.parametrize("text", ["24時間365日対応", "二十四時間体制", "365日24時間", "24/7", "受付時間: 24時間",
                                  "10:00~17:00", "正午まで", "午後3時半", "9~17時", "1年間保存", "毎日1回"])
def test_repeated_questions_get_lists_of_their_own(text):
    """find_quantities / find_frequencies remember recent answers: a caller
    that changes its list must not change the next caller's."""
    for finder in (find_quantities, find_frequencies):
        first = finder(text)
        first.append("junk")
        assert "junk" not in finder(text)
        assert finder(text) == finder(text + "")
