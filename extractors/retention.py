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
from dataclasses import dataclass

from extractors import SectionContext, register
from extractors.lexicon import (ADVICE_RE, BACKUP_JOB_WORDS, DEFAULT_SETTING_RE, DELETE_RE, FUTURE_RE, IN_ADVANCE_RE,
                                INACTIVITY_RE, INDEFINITE_RE, ITEM_RE, KEEP_WORDS, KEY_VALUE_RE, LEGAL_RE,
                                NEG_DELETE_RE, NEG_RETAIN_RE, NEUTRAL_TOPIC, REFERENCE_RE, RETAIN_RE,
                                UNSPECIFIED_RE, anchor_before, clause_at, coordinated_subjects, nearest_subject,
                                subjects, topic_subjects)
from extractors.quantities import find_frequencies, find_quantities, iso_duration, to_days
from extractors.words import alternation, words_re
from pipeline.schema import RETENTION_UNITS

_PERIOD_NOUN = re.compile(rf"({alternation(KEEP_WORDS + ('保有',))})期間")
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


def dedupe_key(r: dict) -> tuple:
    """One row per fact: a period stated twice is one row."""
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


def _subject(ctx: SectionContext, state: "_SectionState", sentence: str, pos: int, unit: str | None) -> str | None:
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
    if len(kinds) > 1 and not topic_subjects(sentence, pos, found):
        # a topic (バックアップデータは…) settles it without a parse
        from extractors.syntax import subject_by_parse
        parsed = subject_by_parse(sentence, pos)
        if parsed:
            return parsed
    subj = nearest_subject(sentence, pos, found)
    if subj:
        return subj
    if _is_item(sentence) and state.lead_subject:
        return state.lead_subject      # ・保存期間:35日 under "データベースのバックアップは…"
    if state.last_subject:
        return state.last_subject
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


_BACKUP_WORD = words_re(BACKUP_JOB_WORDS, ("ダンプ",))
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


@dataclass
class _SectionState:
    """What the earlier sentences of a section said, for those that follow."""
    last_subject: str | None = None   # the subject named or given a period most recently
    lead_subject: str | None = None   # the subject of the last sentence that is no list item
    last_row: dict | None = None      # the last row, for a sentence that refers back (同様に)

    def note(self, sentence: str) -> None:
        """A sentence that gave no row still names what the next ones keep."""
        subj = nearest_subject(sentence, len(sentence))
        if subj:
            self.last_subject = subj
        if not _is_item(sentence):
            self.lead_subject = subj

    def after(self, sentence: str, rows: list[dict]) -> None:
        if not rows:
            self.note(sentence)
            return
        self.last_subject = rows[-1]["subject"]
        self.last_row = rows[-1]
        if not _is_item(sentence):
            self.lead_subject = nearest_subject(sentence, len(sentence))


def _generation_frequency(ctx: SectionContext, i: int, s: str) -> str | None:
    """How often the copies of N世代 are taken: in the sentence, else elsewhere in the section."""
    fs = [f for f in find_frequencies(s) if f.frequency]
    return fs[0].frequency if fs else _section_backup_frequency(ctx, i)


def _quantity_rows(ctx: SectionContext, state: _SectionState, i: int, sent) -> list[dict]:
    """Rows of the periods with a number (1年間保存, 契約終了後30日以内に削除, 10世代)."""
    s = sent.text
    rows: list[dict] = []
    # 1時間ごとに取得 / 1日1回: how often, not how long
    every = [(f.start, f.end) for f in find_frequencies(s) if f.interval or f.count]
    for q in find_quantities(s):
        if q.unit not in RETENTION_UNITS or any(a <= q.start and q.end <= b for a, b in every) \
                or IN_ADVANCE_RE.match(s, q.end):
            continue
        action, vpos = _verb_for(s, q.start, q.end)
        if _AGE_OF.match(s, q.end) and (vpos is None or vpos < q.end or action == "retain"):
            continue           # 6週間以上前の監査ログをダウンロード: which logs, not how long
        named = None
        if action is None:
            action, named = _unverbed_action(ctx, i, s, q.start, q.end)
        if action is None:
            continue
        if q.unit == "generation":
            action = "retain"      # 7世代で上書き / 7世代を超えたものは削除: 7 generations are kept
        subject = named or _subject(ctx, state, s, q.start, q.unit)
        if subject is None:
            continue
        rows.extend(_quantity_row(ctx, i, sent, q, subject, action))
    return rows


def _quantity_row(ctx: SectionContext, i: int, sent, q, subject: str, action: str) -> list[dict]:
    """The row of quantity *q*, and one for each subject named together with it."""
    s = sent.text
    freq = None
    before = _FREQ_BEFORE.search(s, max(0, q.start - 6), q.start)
    if before:
        fs = find_frequencies(before.group(0))
        freq = fs[0].frequency if fs and fs[0].frequency in _FREQ_DAYS else None
    if q.unit == "generation":
        freq = _generation_frequency(ctx, i, s)
    days = to_days(q.value, q.unit) if q.unit != "generation" else (
        q.value * _FREQ_DAYS[freq] if freq else None)
    bound = q.bound
    if bound == "exact" and s[q.end:q.end + 1] == "は" and action == "retain":
        bound = "min"          # 1年間は保存 = kept for at least a year
    row = dict(ctx.base(sent), subject=subject, action=action, value=q.value, unit=q.unit,
               bound=bound, duration_iso=iso_duration(q.value, q.unit), days=days,
               frequency=freq, anchor=anchor_before(s, q.start, q.end))
    rows = [row]
    if q.unit != "generation":
        rows.extend(dict(row, subject=other) for other in coordinated_subjects(s, subject))
        if action == "delete" and subject != "backups" and _FROM_BACKUP.search(s, q.end):
            rows.append(dict(row, subject="backups"))     # 本番環境及びバックアップから削除
    return rows


@dataclass(frozen=True)
class _NoNumberRule:
    """A period stated without a number, tried in order (the first that
    yields a row wins)."""
    name: str
    rx: re.Pattern
    bound: str
    always_kept: bool = False          # the wording itself says the data stays (削除いたしません)
    needs_keeping_word: bool = False   # 有効期限は無期限 is about no data kept: a keeping word must be near
    anchored: bool = False             # counted from an event (契約終了後、一定期間保存)


NO_NUMBER_RULES = (
    _NoNumberRule("indefinite", INDEFINITE_RE, "indefinite", needs_keeping_word=True),
    _NoNumberRule("unspecified", UNSPECIFIED_RE, "unspecified", anchored=True),
    _NoNumberRule("never_deleted", NEG_DELETE_RE, "indefinite", always_kept=True),
)


def _not_a_retention(s: str) -> bool:
    """An inactivity timeout, advice to the customer, or a negated "is kept"."""
    return bool(INACTIVITY_RE.search(s) or ADVICE_RE.search(s) or NEG_RETAIN_RE.search(s))


def _no_number_action(rule: _NoNumberRule, s: str, m: re.Match) -> str | None:
    if rule.always_kept:
        return "retain"
    action, _ = _verb_for(s, m.start(), m.end())
    if action is None and (_PERIOD_NOUN.search(s) or RETAIN_RE.search(m.group(0))):
        action = "retain"     # 保存期間は特に区切っていません / 保存に期限はございません
    if action and rule.needs_keeping_word and not (
            RETAIN_RE.search(s) or DELETE_RE.search(s) or _PERIOD_NOUN.search(s)):
        return None           # 有効期限は無期限: not about keeping data
    return action


def _rows_without_number(ctx: SectionContext, state: _SectionState, sent) -> list[dict]:
    """一定期間保存 (unspecified), 保存期間は特に区切っていません / 削除いたしません (indefinite)."""
    s = sent.text
    for rule in NO_NUMBER_RULES:
        m = rule.rx.search(s)
        if not m:
            continue
        action = _no_number_action(rule, s, m)
        if action is None:
            continue
        cs, ce = clause_at(s, m.start())
        in_clause = [f for f in subjects(s) if cs <= f[1] and f[2] <= ce]
        subject = (nearest_subject(s, m.start(), in_clause) if in_clause
                   else state.last_subject or _subject(ctx, state, s, m.start(), None))
        if subject is None:
            continue
        return [dict(ctx.base(sent), subject=subject, action=action, value=None, unit=None,
                     bound=rule.bound, duration_iso=None, days=None, frequency=None,
                     anchor=anchor_before(s, m.start(), m.end()) if rule.anchored else None)]
    return []


def _referring_rows(ctx: SectionContext, state: _SectionState, sent) -> list[dict]:
    """バックアップデータも同様に削除します: the previous row's period, for another subject."""
    s = sent.text
    if not REFERENCE_RE.search(s) or state.last_row is None:
        return []
    action, _ = _verb_for(s, len(s), len(s))
    subject = nearest_subject(s, len(s))
    prev = state.last_row
    if action and subject and subject != prev["subject"]:
        return [dict(prev, **ctx.base(sent), subject=subject, action=action)]
    return []


@register("retention", "retention_periods", dedupe_key)
def extract(ctx: SectionContext) -> list[dict]:
    """Named steps per sentence: periods with a number, else without one,
    else a reference back to the previous row."""
    rows: list[dict] = []
    state = _SectionState()
    candidates = {i for i, _ in ctx.candidates()}
    for i, sent in enumerate(ctx.sentences):
        s = sent.text
        if i not in candidates:
            state.note(s)
            continue
        if LEGAL_RE.search(s) or FUTURE_RE.search(s) or (
                _OTHER_RECORDS.search(s) and {k for k, _, _ in subjects(s)} <= {"customer_data"}):
            continue
        found = _quantity_rows(ctx, state, i, sent)
        if not found and not _not_a_retention(s):
            found = _rows_without_number(ctx, state, sent)
        if not found:
            found = _referring_rows(ctx, state, sent)
        state.after(s, found)
        rows.extend(found)
    return rows
