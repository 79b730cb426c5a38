"""Negative cases for :mod:`extractors.quantities` (test data).

Each phrase is already normalised (NFKC, wave dashes as ``~``) and must
yield *nothing* from the finder named by its table.
"""

# find_quantities(...) == []
NO_QUANTITY = (
    '10桁以上のパスワード',          # 桁 is not a unit
    '8文字以上',
    '2021年10月7日',                 # dates
    '2021 年 10 月 7 日',
    '令和3年4月1日',
    '2024/12/01',
    '2024-12-01',
    '4月1日から適用',
    '毎月1日に実施',                 # day of the month
    '2023年度',                      # fiscal year
    '平成30年度の監査',
    '第3版',                         # ordinals / versions
    '第2世代の暗号方式',
    'バージョン2.0',
    'Ver.3',
    'TLS 1.2 以上',
    'ISO/IEC 27017:2015',            # standard numbers, sections
    'JIS Q 27001:2014',
    '12.3.1 情報のバックアップ',
    'A.12.3.1',
    '03-1234-5678',                  # phone numbers
    '0120-123-456',
    '十分な対策',                     # 分 that is not a minute
    '不十分な設定',
    '部分的に',
    '分類',
    '自分で設定',
    '分離',
    '区分',
    '3分の1',
    '10分割',
    '3月末',                         # calendar month
    '三月',
    '一定期間',                       # no number
    '定期的に',
    '数時間',
    '十数年',
    '一時的に',
    '同一世代',
    '3年目',                         # ordinals
    '5日目',
    '午後6時',                       # clock times
    '深夜0時',
    '10時~12時',
    '10時30分',
    '24時間365日',                   # service hours (see module doc)
    '24時間/365日体制',
    '24時間体制',
    '3か所',
    '100名',
    '2倍',
    '16:9',
    '一日も早く',
)

# find_frequencies(...) == []
NO_FREQUENCY = (
    '定期的に',
    '定期的なレビュー',
    '一定期間',
    '随時',
    '適宜',
    '必要に応じて',
    '月末',
    '年度末',
    '今月',
    '本日',
    '3回まで',
    '1回限り',
    '第2回',
    '初回',
    '3月に1回',                      # "once in March"
    '2021年に1回',
    '年月日',
)

# find_clocks(...) == []
NO_CLOCK = (
    '夜間',
    '夜間バッチ',
    '72時間',
    '24時間以内',
    '最大24時間',
    'RTO 4時間、RPO 24時間',
    '1時間30分',
    '10時間',
    '2021年10月7日',
    '2024/12/01',
    'ISO/IEC 27017:2015',
    '12.3.1',
    '一時保存',
    '一時的に',
    '同時に',
    '3時限目',
    '25時',
    '13:61',
    '16:9',
    '時間外',
    '定時',
    '当時',
)

# find_days_of_week(...) == []
NO_DAYS_OF_WEEK = (
    '3月~5月',
    '毎月',
    '月額',
    '今月',
    '月次',
    '月末',
    '12月',
    '1日~3日',
    '365日間保存',
    '過去365日',
    '最大365日',
    '保存期間: 365日',
    '年月日',
    '金額',
    '日本',
    '火災',
    '水準',
    '木材',
    '土地',
    '日時',
    '7日(月)',
)
