"""Time targets: promised times, intervals, schedules and service levels.

Every value in a candidate sentence -- a duration (72時間以内), an interval
(5分毎), a calendar frequency (日次, 年に一回), a time of day or window
(深夜0時, 午前10時~午後6時, 24時間365日) or a percentage -- is given a kind by
what it is about. Kinds are recognised by a subject and/or a verb, looked up
from the nearest context outwards: the value's clause, its sentence (asides in
brackets ignored), the section heading, the previous sentence, the parent
headings. A value no kind claims yields nothing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from extractors import SectionContext, register
from extractors.lexicon import (BACKUP_JOB_WORDS, DELETE_RE, DELETE_WORDS, IN_ADVANCE_RE, LOG_WORD, RETAIN_RE, anchor_before,
                                clause_at, has, strip_parens)
from extractors.quantities import (find_clocks, find_days_of_week, find_frequencies, find_quantities,
                                   iso_duration, to_hours)
from extractors.words import words_re
from pipeline.schema import TIME_FREQUENCIES

DURATION, INTERVAL, FREQUENCY, CLOCK, PERCENT = "duration", "interval", "frequency", "clock", "percent"


@dataclass(frozen=True)
class KindRule:
    kind: str
    values: frozenset
    subject: re.Pattern | None = None      # must appear in the sentence or heading
    verb: re.Pattern | None = None         # must appear in the value's clause (or sentence)


def rule(kind: str, values, subject: tuple[str, ...] = (), verb: tuple[str, ...] = ()) -> KindRule:
    """A kind's rule from its word lists (patterns, see extractors.words)."""
    return KindRule(kind, frozenset(values), words_re(subject, raw=True) if subject else None,
                    words_re(verb, raw=True) if verb else None)


# The word lists of the kinds: a new wording is one more word here.
MALWARE = ("ウイルス", "ウィルス", "マルウェア", "パターンファイル", "定義ファイル", "シグネチャ")
UPDATE_VERBS = ("更新", "アップデート", "配信", "適用")
VULNERABILITY = ("脆弱性", "ぜい弱性", "修正プログラム", "セキュリティパッチ", "(?i:vulnerabilit|penetration)", "ペネトレーション")
CHECK_VERBS = ("確認", "検査", "診断", "スキャン", "チェック", "収集", "調査", "評価", "点検", "適用", "テスト",
               "(?i:scan|test|assessment)")
MONITOR_VERBS = ("監視", "モニタリング", "死活確認", "計測", "(?i:monitoring)")
REVIEW_VERBS = ("確認", "レビュー", "点検", "分析", "チェック", "精査", "調査")
COLLECT_VERBS = ("取得", "収集", "記録", "転送", "出力", "作成", "生成")
AUDIT = ("監査(?!ログ|証跡)", "レビュー", "審査", "内部点検", "(?:セキュリティ|第三者|外部)(?:の)?(?:評価|アセスメント)")
INCIDENT = ("インシデント", "事故", "障害", "事象", "漏えい", "漏洩", "侵害", "セキュリティ")
NOTIFY_VERBS = ("通知", "連絡", "報告", "第一報", "お知らせ", "ご報告", "連絡", "報告書")
RECOVERY_POINT = ("RPO", "目標復旧時点", "復旧ポイント")
RECOVER_VERBS = ("復旧", "復元", "リストア", "回復", "RTO", "切り替え", "切り替わ", "切替", "フェイルオーバ", r"(?i:fail\s*over)")
AVAILABILITY = ("稼働率", "可用性", "SLA", "SLO", "アップタイム", "稼動率")
SUPPORT = ("サポート", "問い?合わ?せ", "受付", "受け付け", "窓口", "ヘルプデスク", "営業時間", "コールセンター", "対応時間",
           r"(?i:support|help\s*desk)")
MAINTENANCE = ("メンテナンス", "保守作業", "計画停止", "定期保守", r"OS\s*(?:の)?(?:アップデート|更新)", "再起動",
               "(?i:maintenance)")
SERVICE_TIME = ("サービス提供時間", "サービス時間", "提供時間", "稼働時間", "利用可能時間", "サービスの提供", "運用時間", "利用時間")
SERVICE_VERBS = ("提供", "ご利用いただけ", "利用(いただ|でき|可能)", "稼働(?!状況|状態|率|監視)")

# In order: at the same distance, the earlier rule wins.
RULES = (
    rule("malware_update", {FREQUENCY, INTERVAL}, MALWARE, UPDATE_VERBS),
    rule("vulnerability_check", {FREQUENCY, INTERVAL}, VULNERABILITY, CHECK_VERBS),
    rule("monitoring", {FREQUENCY, INTERVAL, CLOCK}, verb=MONITOR_VERBS),
    rule("log_review", {FREQUENCY, INTERVAL}, (LOG_WORD,), REVIEW_VERBS),
    rule("log_collection", {FREQUENCY, INTERVAL}, (LOG_WORD,), COLLECT_VERBS),
    rule("audit", {FREQUENCY, INTERVAL}, AUDIT),
    rule("backup_schedule", {FREQUENCY, INTERVAL, CLOCK}, BACKUP_JOB_WORDS),
    rule("deletion_schedule", {FREQUENCY, CLOCK}, verb=DELETE_WORDS),
    rule("incident_notification", {DURATION}, INCIDENT, NOTIFY_VERBS),
    # RPO (目標復旧時点) bounds the data lost: it is a backup interval, not a recovery time.
    rule("backup_schedule", {DURATION}, verb=RECOVERY_POINT),
    rule("recovery", {DURATION}, verb=RECOVER_VERBS),
    rule("availability", {PERCENT}, AVAILABILITY),
    rule("support_hours", {CLOCK}, SUPPORT),
    # a window's time of day and recurrence, or how long the work may take (最大5時間, 8時間以内)
    rule("maintenance_window", {CLOCK, FREQUENCY, DURATION}, MAINTENANCE),
    rule("service_hours", {CLOCK}, SERVICE_TIME),
    rule("service_hours", {CLOCK}, verb=SERVICE_VERBS),
)
# What a statement excepts names no kind of its own: 計画メンテナンスの時間帯を除き、24時間365日
_EXCEPT = re.compile(r"[^、。\sはがもにでを]{1,24}?を除(?:き|く|いて)")
_GOAL = re.compile(r"目標|原則|努め|目指|めざ|予定|ベストエフォート|努力|目安|目処|目途")
# A recovery time or recovery point is a ceiling by nature (RTO 4時間 = within 4 hours).
_CEILING_KINDS = ("recovery", "backup_schedule")
_JST = re.compile(r"日本時間|日本標準時|JST|UTC\s*\+\s*0?9")
_UTC = re.compile(r"(?<![A-Za-z])UTC(?!\s*[+\-]\s*\d)|協定世界時")
_NOTIFY_CONTROL = re.compile(r"^A\.16\.")
# 10分以内に復旧した場合 / 99.9%を下回った場合: a condition (a level's or a credit's definition), not a promise
_CONDITION_AFTER = re.compile(r"[^、。]{0,16}?(?:した|された|できた|しない|できない|しなかった|できなかった)(?:場合|とき|時(?!間)|際)")
# 30日間は復元可能です: how long something stays possible, not a time to meet
_WINDOW_OPEN = re.compile(r"\s*(?:間)?\s*(?:は|の間は)[^。]{0,12}?(?:可能|できます|いただけます)")
_SPAN_POSSIBLE = re.compile(r"[^。、]{0,12}?(?:可能|できます|いただけます|ことができ)")
# ※累計障害時間が3分未満は切り捨て: how downtime is counted, not a target
_ROUNDING = re.compile(r"(?:未満|以下)(?:の(?:時間|障害(?:時間)?)は|は?\s*(?:切り?捨|切り?上|算入しない|含めない|含まない))")
# 毎月1日から当該月末日まで: a measured period, not a monthly job
_MONTH_PERIOD = re.compile(r"\s*\d{1,2}\s*日\s*(?:から|~|〜)")
# 災害復旧計画を策定し、年1回以上テストを実施: an activity of its own, whatever the heading is about
_OTHER_ACTIVITY = re.compile(r"テスト|訓練|演習|研修|教育|見直し")
# 故障した場合でも、約5分以内に…: a time that follows a failure is the time to recover
_AFTER_FAILURE = re.compile(r"(?:故障|障害|ダウン|停止|異常)(?:が発生)?(?:した|の)?(?:場合|際|時)")
# 監視間隔 | 最短間隔の項目は1分間隔: a short label line (a key cell) names the value's kind
_LABEL = re.compile(r"[^。.!?\d]{1,16}")
_SHORTEST = re.compile(r"最短|最小")
# 作業時間は8時間以内 / 最大5時間メンテナンスを実施: how long the work takes (not 影響が30分以内のメンテナンス)
_WORK_LENGTH_BEFORE = re.compile(r"(?:作業|所要|停止|メンテナンス|保守)(?:時間|期間)[^、。]{0,6}$")
_WORK_LENGTH_AFTER = re.compile(r"\s*(?:程度|ほど)?\s*(?:の)?\s*(?:メンテナンス|作業|保守|計画停止)\s*を\s*(?:実施|行)")
# 実施の14日前、完了時に掲載: a notice's lead time
_BEFORE_EVENT = re.compile(r"\s*(?:以上)?前(?!後)")
_LONGEST = re.compile(r"最長|最大")


def dedupe_key(r: dict) -> tuple:
    """One row per fact: a target stated twice is one row."""
    return (r["kind"], r["value"], r["unit"], r["frequency"])


@dataclass
class _Value:
    vtype: str
    start: int
    end: int
    value: float | None = None
    unit: str | None = None
    frequency: str | None = None
    clock: str | None = None
    bound: str = "exact"


# N times per period -> the period in a unit that N usually divides.
_PER_PERIOD = {"yearly": (12.0, "month"), "monthly": (30.0, "day"), "weekly": (7.0, "day"), "daily": (24.0, "hour")}
# Percentages that are not a service level: an SLA credit tier (99.0%未満)
# or a share of the fee (月額利用料の10%).
_PERCENT_BELOW = re.compile(r"未満")
_PERCENT_OF_FEE = re.compile(r"(?:料金|利用料|使用料|代金|月額|返金|減額|クレジット|割引)(?:額)?の?\s*(?:うち)?\s*$")
_ANCHOR_USE = re.compile(r"(?:し|され)?(?:た)?(?:後|から|より|以降)")
_MIN_AVAILABILITY = 90.0        # 稼働率 below this is a threshold or a refund rate, not a service level


def _below(s: str, v) -> bool:
    """99.95%未満: the value (with its bound word) says "below"."""
    return bool(_PERCENT_BELOW.search(s, v.start, v.end + 3))


def _values(s: str) -> list[_Value]:
    out: list[_Value] = []
    mask = bytearray(len(s) + 1)          # characters already claimed by a value

    def free(a, b):
        return not any(mask[a:b])

    def claim(a, b):
        mask[a:b] = b"\x01" * (b - a)

    for c in find_clocks(s):
        out.append(_Value(CLOCK, c.start, c.end, clock=c.clock, bound="min" if c.open_end else "exact"))
        claim(c.start, c.end)
    for f in find_frequencies(s):
        if not free(f.start, f.end) or (f.frequency == "monthly" and _MONTH_PERIOD.match(s, f.end)):
            continue
        if f.interval:
            out.append(_Value(INTERVAL, f.start, f.end, value=f.interval[0], unit=f.interval[1], bound=f.bound))
        elif f.frequency in _PER_PERIOD and f.count and f.count > 1:
            # 年2回 recurs, but not once per calendar period: its interval (6 months)
            value, unit = _PER_PERIOD[f.frequency]
            out.append(_Value(INTERVAL, f.start, f.end, value=round(value / f.count, 2), unit=unit, bound=f.bound))
        elif f.frequency in TIME_FREQUENCIES:
            out.append(_Value(FREQUENCY, f.start, f.end, frequency=f.frequency, bound=f.bound))
        else:
            continue
        claim(f.start, f.end)
    for q in find_quantities(s):
        if not free(q.start, q.end) or q.unit == "generation":
            continue
        vt = PERCENT if q.unit == "percent" else DURATION
        if vt == DURATION and (IN_ADVANCE_RE.match(s, q.end) or _BEFORE_EVENT.match(s, q.end)):
            continue                # 実施日の14日前までにお知らせ: advance notice, no promised time
        out.append(_Value(vt, q.start, q.end, value=q.value, unit=q.unit, bound=q.bound))
        claim(q.start, q.end)
    n_percents = sum(1 for v in out if v.vtype == PERCENT)
    out = [v for v in out if v.vtype != PERCENT or not _PERCENT_OF_FEE.search(s, 0, v.start)]
    percents = [v for v in out if v.vtype == PERCENT]
    if n_percents > 1 and any(_below(s, v) for v in percents):
        # a tier of an SLA credit table (99.0%以上 99.95%未満), both ends
        out = [v for v in out if v.vtype != PERCENT or not (_below(s, v) or v.bound == "min")]
    return sorted(out, key=lambda v: v.start)


def _nearest(rx: re.Pattern, text: str, offset: int, pos: int) -> int | None:
    """Distance from *pos* (sentence offset) to the nearest match of *rx* in
    *text*, which starts at *offset* in the sentence; None when no match."""
    if not has(rx, text):
        return None
    # A word before the value (its topic: RTOは4時間) is nearer than one
    # after it at the same distance. A word that is the value's starting
    # point (復旧後5営業日以内に報告) says what the value counts from, not what it is.
    dists = [pos - (offset + m.end()) if offset + m.end() <= pos else 2 * (offset + m.start() - pos) + 1
             for m in rx.finditer(text) if not _ANCHOR_USE.match(text, m.end())]
    return min(dists) if dists else None


def _label_lines(text: str, start: int, lines: int = 6, most: int = 2) -> list[tuple[int, str]]:
    """(lines above, text) of the nearest short label lines above the line
    holding *start*: a key cell whose value sits on the next line, or a web
    page's unmarked subheading (計画メンテナンス対応), nearest first."""
    out: list[tuple[int, str]] = []
    end = text.rfind("\n", 0, start)
    for above in range(1, lines + 1):
        if end <= 0 or len(out) == most:
            break
        begin = text.rfind("\n", 0, end) + 1
        line = text[begin:end].strip(" |\t\u3000-")
        if _LABEL.fullmatch(line):
            out.append((above, line))
        end = begin - 1
    return out


def _context_levels(ctx: SectionContext, k: int, labels: list[tuple[int, str]]) -> list[tuple[str, None]]:
    """Where a kind's words may stand outside the value's sentence, nearest
    first: the heading, the previous sentence, label lines above, parent headings."""
    levels = [(h, None) for h in ctx.headings[:1]]
    if k > 0:
        levels.append((strip_parens(ctx.sentences[k - 1].text), None))
    levels += [(t, None) for _, t in labels]
    return levels + [(h, None) for h in ctx.headings[1:]]


def _kind(ctx: SectionContext, k: int, sent_text: str, v: _Value) -> str | None:
    """The kind of value *v*: the rule whose words stand nearest to it, in the
    nearest context that has any (clause, sentence, heading, previous
    sentence, parent headings)."""
    plain = _EXCEPT.sub(lambda m: " " * len(m.group(0)), strip_parens(sent_text))
    cs, ce = clause_at(sent_text, v.start)
    clause = plain[cs:ce]
    if v.vtype == DURATION and (has(RETAIN_RE, clause) or has(DELETE_RE, clause)):
        return None                      # a retention period, not a target
    heading = " ".join(ctx.headings)
    levels = [(clause, cs), (plain, 0)]                          # in the sentence: distances count
    labels = _label_lines(ctx.text, ctx.sentences[k].start)
    # a label line right above the value's line is a key cell, which answers for verbs too
    # (監視間隔 | 最短間隔の項目は1分間隔)
    key = labels[0][1] if labels and labels[0][0] == 1 else None
    if not has(_OTHER_ACTIVITY, clause):   # a clause that names its own activity takes no kind from around it
        levels += _context_levels(ctx, k, labels)
    for level, (text, offset) in enumerate(levels):
        best = None
        for order, rule in enumerate(RULES):
            if v.vtype not in rule.values:
                continue
            if rule.verb is not None:
                # A verb must be in the value's own clause, or at least its
                # sentence, or the key cell the value answers.
                dist = _nearest(rule.verb, clause, cs, v.start)
                if dist is None and level >= 1:
                    dist = _nearest(rule.verb, plain, 0, v.start)
                if dist is None and level >= 2 and text == key and has(rule.verb, text):
                    dist = 0
                if dist is None:
                    continue
                if rule.subject is not None and not (
                        has(rule.subject, text) or has(rule.subject, plain) or has(rule.subject, heading)
                        or (rule.kind == "incident_notification" and ctx.control_id
                            and _NOTIFY_CONTROL.match(ctx.control_id))):
                    continue
            elif rule.subject is not None:
                dist = _nearest(rule.subject, text, offset or 0, v.start)
                if dist is None:
                    continue
                if offset is None:
                    dist = 0
            else:
                continue
            if best is None or (dist, order) < best[:2]:
                best = (dist, order, rule.kind)
        if best:
            return best[2]
    if v.vtype == DURATION and v.bound in ("max", "approx") and _AFTER_FAILURE.search(plain, 0, v.start):
        return "recovery"
    return None


@register("time_targets", "time_targets", dedupe_key)
def extract(ctx: SectionContext) -> list[dict]:
    rows = []
    scheduled: set[str] = set()          # kinds whose recurrence an earlier sentence gave
    first_tier = None
    for k, sent in ctx.candidates():
        s = sent.text
        first_tier = first_tier or _first_tier(ctx, k)
        values = _values(s)
        if not values:
            continue
        days = [d.included() for d in find_days_of_week(s)]
        days = [d for d in days if d]
        nxt = ctx.sentences[k + 1].text if k + 1 < len(ctx.sentences) else ""
        tz = "Asia/Tokyo" if _JST.search(s) or _JST.search(nxt) else "UTC" if _UTC.search(s) else None
        goal = bool(_GOAL.search(s)) or ctx.goal_part
        sentence_rows: list[dict] = []
        for v in values:
            if _no_target(s, v):
                continue
            kind = _kind(ctx, k, s, v)
            if kind is None:
                continue
            if kind == "maintenance_window" and v.vtype == DURATION and not (
                    _WORK_LENGTH_BEFORE.search(s, 0, v.start) or _WORK_LENGTH_AFTER.match(s, v.end)):
                continue
            bound = v.bound
            if v.vtype == INTERVAL and bound == "exact":
                cs, _ = clause_at(s, v.start)
                bound = "min" if _SHORTEST.search(s, cs, v.start) else "max" if _LONGEST.search(s, cs, v.start) else bound
            if kind == "availability" and (v.value or 0) < _MIN_AVAILABILITY:
                continue
            if kind == "availability" and bound == "exact" and goal:
                bound = "min"              # 99%を目標に運用: at least that; a level stated plainly stays as written
            if kind in _CEILING_KINDS and v.vtype == DURATION and bound == "exact":
                bound = "max"
            if bound not in ("exact", "min", "max", "approx"):
                bound = "exact"
            is_duration = v.vtype in (DURATION, INTERVAL) and v.unit not in (None, "percent")
            is_window = v.vtype == CLOCK
            sentence_rows.append(dict(
                ctx.base(sent), kind=kind, value=v.value, unit=v.unit, bound=bound,
                duration_iso=iso_duration(v.value, v.unit) if is_duration else None,
                hours=to_hours(v.value, v.unit) if is_duration else None,
                frequency=v.frequency, clock=v.clock,
                # 毎日 adds nothing to a daily job's time of day; a window keeps its days.
                days_of_week=days[0] if days and (days[0] != "Mon-Sun" or (is_window and (
                    kind not in _SCHEDULES or "-" in (v.clock or "")))) else None,
                timezone=tz if is_window or kind in ("support_hours", "service_hours") else None,
                is_goal=goal,
                anchor=anchor_before(s, v.start, v.end) if v.vtype == DURATION else None,
            ))
        merged = _merge_schedules(sentence_rows, scheduled)
        scheduled.update(r["kind"] for r in merged if r["frequency"])
        rows.extend(merged)
    if first_tier and not any(r["kind"] == "availability" for r in rows):
        value, sent = first_tier
        rows.append(dict(ctx.base(sent), kind="availability", value=value, unit="percent", bound="min",
                         duration_iso=None, hours=None, frequency=None, clock=None, days_of_week=None,
                         timezone=None, is_goal=ctx.goal_part, anchor=None))
    return rows


def _no_target(s: str, v: _Value) -> bool:
    """A duration that is a condition (10分以内に復旧した場合), a span while
    something stays possible (30日間は復元可能), or a rounding rule (3分未満は切り捨て)."""
    return v.vtype in (DURATION, INTERVAL) and bool(
        _CONDITION_AFTER.match(s, v.end) or _WINDOW_OPEN.match(s, v.end)
        or (v.bound == "exact" and s[v.end - 1:v.end] == "間" and _SPAN_POSSIBLE.match(s, v.end))
        or _ROUNDING.search(s, v.start, v.end + 16))


# 99.99%未満 10%: the first row of an SLA credit table under a 稼働率 header
_TIER_ROW = re.compile(r"^\s*(?:\d{1,2}[.)]\s+)?(?P<v>\d{2,3}(?:\.\d+)?)\s*[%％]\s*未満")
_AVAILABILITY = re.compile(r"稼働率|稼動率|可用性")


def _first_tier(ctx: SectionContext, k: int):
    """(level, sentence) when sentence *k* is the first tier of a credit table
    whose header or lead names the availability: a section that states its
    level only so (99.99%未満 -> 10%) promises that level, at least."""
    sent = ctx.sentences[k]
    m = _TIER_ROW.match(sent.text)
    if not m or float(m.group("v")) < _MIN_AVAILABILITY:
        return None
    above = [ctx.sentences[j].text for j in range(max(0, k - 2), k)] + ctx.headings[:1]
    return (float(m.group("v")), sent) if any(_AVAILABILITY.search(t) for t in above) else None


_SCHEDULES = ("backup_schedule", "deletion_schedule", "log_collection", "monitoring", "malware_update",
              "maintenance_window")


def _merge_schedules(rows: list[dict], scheduled: set[str] = frozenset()) -> list[dict]:
    """A schedule stated as a frequency and a time of day (毎日 2時に) is one
    row; a time of day alone for a recurring job means daily, unless an
    earlier sentence gave its recurrence (1日1回… このプロセスは午前1時に開始)."""
    out: list[dict] = []
    for r in rows:
        if r["kind"] in _SCHEDULES and r["clock"]:
            twin = next((o for o in out if o["kind"] == r["kind"] and o["frequency"] and not o["clock"]), None)
            if twin:
                twin["clock"] = r["clock"]
                twin["timezone"] = twin["timezone"] or r["timezone"]
                twin["days_of_week"] = twin["days_of_week"] or r["days_of_week"]
                continue
            # A time of day for a recurring job means every day; a window
            # (24時間365日, 2時~6時) is not a schedule by itself.
            if "-" not in r["clock"] and r["kind"] not in ("maintenance_window", *scheduled) and not r["days_of_week"]:
                r["frequency"] = r["frequency"] or "daily"
        elif r["kind"] in _SCHEDULES and r["frequency"]:
            twin = next((o for o in out if o["kind"] == r["kind"] and o["clock"]
                         and o["frequency"] in ("daily", None)), None)
            if twin:
                twin["frequency"] = r["frequency"]
                twin["days_of_week"] = twin["days_of_week"] or r["days_of_week"]
                continue
        out.append(r)
    return out
