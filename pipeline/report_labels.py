"""Labels of the report in Japanese (the default) and English.

The report is read by analysts and managers, not by the people who know the
table contract, so every heading and every vocabulary value of the tables
(``logs``, ``min``, ``incident_notification`` ...) is shown in words.  One
dictionary per language with the same keys; :func:`labels` fails on an
unknown language rather than mixing two.
"""
from __future__ import annotations

LANGS = ("ja", "en")

_JA = {
    "title": "クラウドセキュリティ ホワイトペーパー比較",
    "generated": "出力フォルダ", "run": "実行", "documents_read": "比較した文書", "not_read_count": "読めなかったファイル",
    "nav_matrix": "管理策", "nav_facts": "ベンダー別の値", "nav_changes": "変更点", "nav_failed": "読めなかったファイル",
    "matrix": "ベンダー × 管理策", "facts": "ベンダー別: 保存期間・目標時間・ログのタイムゾーン",
    "changes": "前回の実行からの変更点", "failed": "読めなかったファイル",
    "matrix_help": "● 見出しで明示された管理策、○ 見出しの内容から推定した管理策、空欄は記載なし。"
                   "セルにマウスを重ねる(またはクリックする)と根拠の見出し・ページ・節が表示されます。",
    "facts_help": "値にマウスを重ねる(またはクリックする)と根拠の文・ページ・節が表示されます。",
    "filter": "絞り込み", "filter_placeholder": "文字を入力して行を絞り込む", "rows": "行",
    "sort_help": "列見出しをクリックすると並べ替えます。",
    "vendor": "ベンダー(文書)", "doc_id": "ファイル", "publisher": "発行者", "version": "版",
    "published": "発行日", "clause": "箇条", "count": "件数",
    "explicit": "明示", "inferred": "推定", "absent": "記載なし", "confidence": "確信度",
    "page": "ページ", "section": "節", "evidence": "根拠",
    "table": "表", "change": "変化", "fact": "事実", "status": "状態", "issue": "問題", "message": "内容",
    "none": "なし", "no_changes": "前回の実行からの変更はありません。", "no_failed": "すべてのファイルを読めました。",
    "goal": "目標", "from": "起点", "vendors": "ベンダー", "controls_covered": "管理策",
    "log_tz": "ログのタイムゾーン",
}

_EN = {
    "title": "Cloud security whitepapers compared",
    "generated": "Output folder", "run": "Run", "documents_read": "Documents compared", "not_read_count": "Files not read",
    "nav_matrix": "Controls", "nav_facts": "Per vendor", "nav_changes": "Changes", "nav_failed": "Files not read",
    "matrix": "Vendors × controls", "facts": "Per vendor: retention, time targets, log time zone",
    "changes": "Changes since the previous run", "failed": "Files that could not be read",
    "matrix_help": "● control named explicitly in a heading, ○ control inferred from a heading's subject, "
                   "empty: not addressed. Hover over (or click) a cell for the heading, page and section.",
    "facts_help": "Hover over (or click) a value for its evidence sentence, page and section.",
    "filter": "Filter", "filter_placeholder": "type to filter the rows", "rows": "rows",
    "sort_help": "Click a column heading to sort.",
    "vendor": "Vendor (document)", "doc_id": "File", "publisher": "Publisher", "version": "Version",
    "published": "Published", "clause": "Clause", "count": "Count",
    "explicit": "explicit", "inferred": "inferred", "absent": "absent", "confidence": "confidence",
    "page": "page", "section": "section", "evidence": "Evidence",
    "table": "Table", "change": "Change", "fact": "Fact", "status": "Status", "issue": "Issue", "message": "Message",
    "none": "none", "no_changes": "Nothing changed since the previous run.", "no_failed": "Every file was read.",
    "goal": "goal", "from": "from", "vendors": "vendors", "controls_covered": "controls",
    "log_tz": "Log time zone",
}

# Vocabulary values of the tables (pipeline/schema.py) as words.
_VOCAB_JA = {
    "logs": "ログ", "backups": "バックアップ", "customer_data": "顧客データ",
    "retain": "保存", "delete": "削除",
    "hour": "時間", "day": "日", "business_day": "営業日", "week": "週間", "month": "か月", "year": "年",
    "generation": "世代", "minute": "分", "percent": "%",
    "hourly": "毎時", "daily": "日次", "weekly": "週次", "monthly": "月次", "yearly": "年次",
    "incident_notification": "インシデント通知", "recovery": "復旧目標", "availability": "可用性",
    "service_hours": "サービス時間", "support_hours": "サポート時間", "maintenance_window": "メンテナンス時間帯",
    "system": "システム", "display": "表示", "NTP": "NTP", "cloud_provider": "クラウド事業者",
    "ok": "正常", "failed": "失敗", "needs_ocr": "OCR が必要", "empty": "空",
    "appeared": "追加", "disappeared": "削除",
    "retention_periods": "保存期間", "time_targets": "目標時間", "log_timezones": "ログのタイムゾーン",
    "error": "エラー", "warning": "警告",
}
_VOCAB_EN = {
    "customer_data": "customer data", "business_day": "business days", "percent": "%",
    "incident_notification": "incident notification", "recovery": "recovery target",
    "service_hours": "service hours", "support_hours": "support hours", "maintenance_window": "maintenance window",
    "cloud_provider": "cloud provider", "needs_ocr": "needs OCR",
    "retention_periods": "retention", "time_targets": "time targets", "log_timezones": "log time zones",
}

# How a bound reads around a value: (before, after).
_BOUNDS = {
    "ja": {"exact": ("", ""), "min": ("", "以上"), "max": ("", "以内"), "approx": ("約", ""),
           "unspecified": ("期間の記載なし", ""), "indefinite": ("無期限", "")},
    "en": {"exact": ("", ""), "min": ("at least ", ""), "max": ("within ", ""), "approx": ("about ", ""),
           "unspecified": ("no period stated", ""), "indefinite": ("indefinitely", "")},
}

# Annex A clause names (ISO/IEC 27001:2013 / JIS Q 27001:2014); CLD controls sit in the same clauses.
_CLAUSES = {
    "ja": {"5": "情報セキュリティのための方針群", "6": "情報セキュリティのための組織", "7": "人的資源のセキュリティ",
           "8": "資産の管理", "9": "アクセス制御", "10": "暗号", "11": "物理的及び環境的セキュリティ",
           "12": "運用のセキュリティ", "13": "通信のセキュリティ", "14": "システムの取得,開発及び保守",
           "15": "供給者関係", "16": "情報セキュリティインシデント管理",
           "17": "事業継続マネジメントにおける情報セキュリティの側面", "18": "順守"},
    "en": {"5": "Information security policies", "6": "Organization of information security",
           "7": "Human resource security", "8": "Asset management", "9": "Access control", "10": "Cryptography",
           "11": "Physical and environmental security", "12": "Operations security",
           "13": "Communications security", "14": "System acquisition, development and maintenance",
           "15": "Supplier relationships", "16": "Information security incident management",
           "17": "Information security aspects of business continuity management", "18": "Compliance"},
}


class Labels(dict):
    """The labels of one language; ``L.word(v)`` names a vocabulary value."""

    def __init__(self, lang: str):
        if lang not in LANGS:
            raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(LANGS)}")
        super().__init__(_JA if lang == "ja" else _EN)
        self.lang = lang
        self._vocab = _VOCAB_JA if lang == "ja" else _VOCAB_EN
        self.bounds = _BOUNDS[lang]
        self.clauses = _CLAUSES[lang]

    def word(self, value) -> str:
        if value is None:
            return ""
        return self._vocab.get(value, str(value).replace("_", " "))


def labels(lang: str = "ja") -> Labels:
    return Labels(lang)
