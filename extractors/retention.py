"""Retention periods: how long logs, backups and customer data are kept, or
when they are deleted.

A sentence yields a row when a retention or deletion verb governs either a
duration (``1年間以上保存``, ``契約完了 60 日後に削除``, ``10世代保存``) or a
phrase without a number (``一定期間保存`` -> unspecified, ``保存期間は特に
区切っていません`` / ``削除いたしません`` -> indefinite). The subject is the
noun named nearest before the quantity (GiNZA's dependency parse settles
sentences that name several), else the one of the previous sentence, else the
heading's. A sentence that says ``同様に削除`` carries the value of the
sentence it refers to.
"""
from __future__ import annotations

import re

from extractors import SectionContext, register
from extractors.lexicon import (ADVICE_RE, DEFAULT_SETTING_RE, DELETE_RE, FUTURE_RE, IN_ADVANCE_RE, INACTIVITY_RE,
                                INDEFINITE_RE, ITEM_RE, KEY_VALUE_RE, LEGAL_RE,
                                NEG_DELETE_RE, NEG_RETAIN_RE, NEUTRAL_TOPIC, REFERENCE_RE, RETAIN_RE,
                                UNSPECIFIED_RE, anchor_before, clause_at, coordinated_subjects, nearest_subject,
                                subjects)
from extractors.quantities import find_frequencies, find_quantities, iso_duration, to_days
from pipeline.schema import RETENTION_UNITS

_PERIOD_NOUN = re.compile(r"(保存|保管|保持|保有)期間")
# 35日分のバックアップ / 1年分(日次で35日分、月次で1年分)のバックアップを取得: a span of backups kept
_WORTH = re.compile(r"\s*分(?=[の、)）]|\s*$)")
_TAKEN = re.compile(r"取得|作成|保持|保管|保存")
# 日次で35日分: how often the copies of that span are taken
_FREQ_BEFORE = re.compile(r"(?:日次|毎日|週次|毎週|月次|毎月|年次|毎年)\s*(?:で|に|の)?\s*$")
# 6週間以上前の監査ログ: an age that qualifies a noun; a period only when a verb follows
_AGE_OF = re.compile(r"\s*(?:以上|より)?(?:前|以降|以前|経過後)(?:の|から)")
# 取引・請求に関する情報: records a law makes the provider keep, not ours
_OTHER_RECORDS = re.compile(r"(?:取引|請求|会計|帳簿|帳票|税務|経理|領収)[^。、]{0,8}?(?:情報|データ|書類|記録)")
_QTY_NOUN = re.compile(r"[^、。]{0,8}?分の")
_FREQ_DAYS = {"hourly": 1 / 24, "daily": 1.0, "weekly": 7.0, "monthly": 30.0, "yearly": 365.0}


def fact_key(r: dict) -> tuple:
    return (r["subject"], r["action"], r["value"], r["unit"])


def _verb_for(sentence: str, start: int, end: int):
    """(action, verb_start) of the retention/deletion verb governing the span:
    the first one after it in its clause, else the nearest before it."""
    cs, ce = clause_at(sentence, start)
    after = []
    limit = min(len(sentence), max(ce, end + 30) + 4)
    for rx, action in ((RETAIN_RE, "retain"), (DELETE_RE, "delete")):
        m = rx.search(sentence, end, limit)
        if m:
            after.append((m.start(), action, m))
    if after:
        pos, action, m = min(after, key=lambda a: a[0])
        if action == "delete" and NEG_DELETE_RE.match(sentence, m.start()):
            action = "retain"
        return action, pos
    before = []
    for rx, action in ((RETAIN_RE, "retain"), (DELETE_RE, "delete")):
        for m in rx.finditer(sentence, max(0, start - 40), start):
            before.append((m.start(), action))
    if before:
        pos, action = max(before)
        return action, pos
    return None, None


def _unverbed_action(ctx: SectionContext, i: int, sentence: str, start: int, end: int) -> tuple[str | None, str | None]:
    """A period kept without a keeping verb: a default setting under a
    retention period's item (初期値は3年間に設定されています), or a span of
    backups taken (35日分のバックアップを取得). Returns (action, the subject
    the wording itself names or None)."""
    if DEFAULT_SETTING_RE.search(sentence, max(0, start - 12), start) and (
            any(_PERIOD_NOUN.search(ctx.sentences[j].text) for j in range(max(0, i - 2), i + 1))
            or any(_PERIOD_NOUN.search(h) for h in ctx.headings[:1])):
        return "retain", None
    if _WORTH.match(sentence, end) and _BACKUP_WORD.search(sentence, end) and _TAKEN.search(sentence, end):
        return "retain", "backups"
    return None, None


_TOPIC_HEAD = re.compile(r"^([^、。\t]{1,24}?)(?:は|については|に関しては)")


def _subject(ctx: SectionContext, sentence: str, pos: int, unit: str | None) -> str | None:
    if unit == "generation":
        return "backups"
    found = subjects(sentence)
    if "\t" in sentence:
        # a table row (ログ保存期間<tab>1年間): its first cell says what is kept, or nothing does
        key = sentence.split("\t", 1)[0]
        in_key = [f for f in found if f[2] <= len(key)]
        if in_key:
            return in_key[0][0]
        if found:
            return nearest_subject(sentence, pos, found)
        # a checklist's answer cell (〇<tab>毎日取得し、30日間保管): the row's item, its heading, says
        return next((s for s in (nearest_subject(h, len(h)) for h in ctx.headings[:1]) if s), None)
    if not found:
        # 請求書などの帳票類は、法令に従い7年間保存します: the sentence keeps something else
        topic = _TOPIC_HEAD.match(sentence, _item_mark_end(sentence))
        if topic and not NEUTRAL_TOPIC.match(topic.group(1)):
            return None
    # "過去35日分のバックアップデータ": the noun the quantity itself modifies.
    for kind, s, e in found:
        if s >= pos and re.fullmatch(r"[^、。]{0,8}?(?:分)?の\s*", sentence[pos:s]) and _QTY_NOUN.match(sentence, pos):
            return kind
    kinds = {k for k, _, _ in found}
    if len(kinds) > 1:
        from extractors.syntax import subject_by_parse
        parsed = subject_by_parse(sentence, pos)
        if parsed:
            return parsed
    subj = nearest_subject(sentence, pos, found)
    if subj:
        return subj
    if _is_item(sentence) and ctx.memo.get("lead_subject"):
        return ctx.memo["lead_subject"]      # ・保存期間:35日 under "データベースのバックアップは…"
    if ctx.memo.get("last_subject"):
        return ctx.memo["last_subject"]
    for h in ctx.headings:
        s = nearest_subject(h, len(h))
        if s:
            return s
    return None


def _item_mark_end(sentence: str) -> int:
    m = ITEM_RE.match(sentence)
    return m.end() if m else 0


def _is_item(sentence: str) -> bool:
    return bool(ITEM_RE.match(sentence) or KEY_VALUE_RE.match(sentence))


_BACKUP_WORD = re.compile(r"バックアップ|スナップショット|ダンプ")
_FROM_BACKUP = re.compile(r"(?:バックアップ|スナップショット)(?:データ|媒体|環境|領域)?(?:上|内)?から(?:も)?")


def _section_backup_frequency(ctx: SectionContext, i: int) -> str | None:
    """How often backups are taken, stated elsewhere in the section (毎日取得
    ... 14世代保持): the nearest sentence before *i*, else after it."""
    order = list(range(i - 1, -1, -1)) + list(range(i + 1, len(ctx.sentences)))
    for j in order:
        t = ctx.sentences[j].text
        if _BACKUP_WORD.search(t):
            fs = [f for f in find_frequencies(t) if f.frequency and (not f.count or f.count == 1)]
            if fs:
                return fs[0].frequency
    return None


@register("retention", "retention_periods", fact_key)
def extract(ctx: SectionContext) -> list[dict]:
    rows: list[dict] = []
    candidates = {i for i, _ in ctx.candidates()}
    for i, sent in enumerate(ctx.sentences):
        s = sent.text
        if i not in candidates:
            subj = nearest_subject(s, len(s))
            if subj:
                ctx.memo["last_subject"] = subj
            if not _is_item(s):
                ctx.memo["lead_subject"] = subj
            continue
        if LEGAL_RE.search(s) or FUTURE_RE.search(s) or (
                _OTHER_RECORDS.search(s) and {k for k, _, _ in subjects(s)} <= {"customer_data"}):
            continue
        found_here = []
        # 1時間ごとに取得 / 1日1回: how often, not how long
        every = [(f.start, f.end) for f in find_frequencies(s) if f.interval or f.count]
        for q in find_quantities(s):
            if q.unit not in RETENTION_UNITS or any(a <= q.start and q.end <= b for a, b in every) \
                    or IN_ADVANCE_RE.match(s, q.end):
                continue
            action, vpos = _verb_for(s, q.start, q.end)
            if _AGE_OF.match(s, q.end) and (vpos is None or vpos < q.end or action == "retain"):
                continue           # 6週間以上前の監査ログ, 1日前から7日前のバージョンを保持: which copies, not how long
            named = None
            if action is None:
                action, named = _unverbed_action(ctx, i, s, q.start, q.end)
            if action is None:
                continue
            if q.unit == "generation":
                action = "retain"      # 7世代で上書き / 7世代を超えたものは削除: 7 generations are kept
            subject = named or _subject(ctx, s, q.start, q.unit)
            if subject is None:
                continue
            freq = None
            before = _FREQ_BEFORE.search(s, max(0, q.start - 6), q.start)
            if before:
                fs = find_frequencies(before.group(0))
                freq = fs[0].frequency if fs and fs[0].frequency in _FREQ_DAYS else None
            if q.unit == "generation":
                fs = [f for f in find_frequencies(s) if f.frequency]
                freq = fs[0].frequency if fs else _section_backup_frequency(ctx, i)
            days = to_days(q.value, q.unit) if q.unit != "generation" else (
                q.value * _FREQ_DAYS[freq] if freq else None)
            bound = q.bound
            if bound == "exact" and s[q.end:q.end + 1] == "は" and action == "retain":
                bound = "min"          # 1年間は保存 = kept for at least a year
            row = dict(ctx.base(sent), subject=subject, action=action, value=q.value, unit=q.unit,
                       bound=bound, duration_iso=iso_duration(q.value, q.unit), days=days,
                       frequency=freq, anchor=anchor_before(s, q.start, q.end))
            found_here.append(row)
            if q.unit != "generation":
                found_here.extend(dict(row, subject=other) for other in coordinated_subjects(s, subject))
                if action == "delete" and subject != "backups" and _FROM_BACKUP.search(s, q.end):
                    found_here.append(dict(row, subject="backups"))     # 本番環境及びバックアップから削除
        # Not a retention statement: an inactivity timeout, advice to the
        # customer, or a negated "is kept".
        no_marker = bool(INACTIVITY_RE.search(s) or ADVICE_RE.search(s) or NEG_RETAIN_RE.search(s))
        if not found_here and not no_marker:
            for rx, bound in ((INDEFINITE_RE, "indefinite"), (UNSPECIFIED_RE, "unspecified"),
                              (NEG_DELETE_RE, "indefinite")):
                m = rx.search(s)
                if not m:
                    continue
                if rx is NEG_DELETE_RE:
                    action = "retain"
                else:
                    action, _ = _verb_for(s, m.start(), m.end())
                    if action is None and (_PERIOD_NOUN.search(s) or RETAIN_RE.search(m.group(0))):
                        action = "retain"     # 保存期間は特に区切っていません / 保存に期限はございません
                if action is None:
                    continue
                if rx is INDEFINITE_RE and not (RETAIN_RE.search(s) or DELETE_RE.search(s) or _PERIOD_NOUN.search(s)):
                    continue          # 有効期限は無期限: not about keeping data
                cs, ce = clause_at(s, m.start())
                in_clause = [f for f in subjects(s) if cs <= f[1] and f[2] <= ce]
                subject = (nearest_subject(s, m.start(), in_clause) if in_clause
                           else ctx.memo.get("last_subject") or _subject(ctx, s, m.start(), None))
                if subject is None:
                    continue
                found_here.append(dict(ctx.base(sent), subject=subject, action=action, value=None, unit=None,
                                       bound=bound, duration_iso=None, days=None, frequency=None,
                                       anchor=anchor_before(s, m.start(), m.end()) if rx is UNSPECIFIED_RE else None))
                break
        if not found_here and REFERENCE_RE.search(s) and ctx.memo.get("last_row"):
            action, _ = _verb_for(s, len(s), len(s))
            subject = nearest_subject(s, len(s))
            prev = ctx.memo["last_row"]
            if action and subject and subject != prev["subject"]:
                found_here.append(dict(prev, **ctx.base(sent), subject=subject, action=action))
        for r in found_here:
            ctx.memo["last_subject"] = r["subject"]
            ctx.memo["last_row"] = r
        if not _is_item(s):
            ctx.memo["lead_subject"] = nearest_subject(s, len(s))
        if not found_here:
            subj = nearest_subject(s, len(s))
            if subj:
                ctx.memo["last_subject"] = subj
        rows.extend(found_here)
    return rows
