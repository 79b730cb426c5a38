"""Log timezones: which clock the provider's logs, system and screens use.

A timezone expression (日本標準時, 日本時間, JST, UTC+9, +09:00, UTC,
協定世界時, 世界標準時, GMT) in a sentence about time-keeping yields a row; its
scope is read from the words nearest to it (表示/画面 -> display, ログ -> logs,
システム/内部/時刻/記録 -> system). A support desk's 日本時間 is not a log
timezone (it becomes the timezone of a support_hours target instead).
"""
from __future__ import annotations

import functools
import re

from extractors import SectionContext, register
from extractors.lexicon import LOG_WORD, clause_at

_TZ = (
    (re.compile(r"日本標準時"), "日本標準時", "Asia/Tokyo", "+09:00"),
    (re.compile(r"日本時間"), "日本時間", "Asia/Tokyo", "+09:00"),
    (re.compile(r"(?:UTC|GMT)\s*\+\s*0?9(?::?00)?(?!\d)|\+09:00"), "UTC+9", "Asia/Tokyo", "+09:00"),
    (re.compile(r"(?<![A-Za-z])JST(?![A-Za-z])"), "JST", "Asia/Tokyo", "+09:00"),
    (re.compile(r"協定世界時"), "協定世界時", "UTC", "+00:00"),
    (re.compile(r"世界標準時|グリニッジ標準時"), "世界標準時", "UTC", "+00:00"),
    (re.compile(r"(?<![A-Za-z])(?:UTC|GMT)(?![A-Za-z+\-\d])"), "UTC", "UTC", "+00:00"),
)
_SCOPES = (
    ("display", re.compile(r"表示|画面|閲覧|入力|指定形式|検索")),
    ("logs", re.compile(LOG_WORD + r"|タイムスタンプ|証跡|(?i:(?<![a-z])logs?(?![a-z])|timestamp)")),
    ("system", re.compile(r"システム|内部|サーバ|時刻|記録|時計|OS|クロック|管理(?!画面)|標準時")),
)
_SUPPORT = re.compile(r"問い?合わ?せ|サポート|受付|窓口|営業時間|年末年始|祝日|営業日|午前|午後|\d時~")
_NTP = re.compile(r"NTP|Network Time Protocol", re.I)
_PROVIDER = re.compile(r"(クラウド|事業者|基盤|AWS|Amazon|Azure|Google).{0,40}(時刻同期|同期サービス|Time Sync|タイムサーバ)|Time Sync Service|時刻同期サービス", re.I)


def dedupe_key(r: dict) -> tuple:
    """One row per fact: a target stated twice is one row."""
    return (r["scope"], r["iana_tz"])


def _mentions(s: str):
    """(start, end, label, iana, offset); one per place, a bracketed gloss
    such as 日本標準時(UTC+9) folded into the expression before it."""
    found = []
    for rx, label, iana, off in _TZ:
        for m in rx.finditer(s):
            if any(not (m.end() <= a or m.start() >= b) for a, b, *_ in found):
                continue
            found.append((m.start(), m.end(), label, iana, off))
    found.sort()
    merged = []
    for f in found:
        if merged and f[3] == merged[-1][3] and 0 <= f[0] - merged[-1][1] <= 2:
            merged[-1] = (merged[-1][0], f[1], *merged[-1][2:])
            continue
        merged.append(f)
    return merged


def _scopes(s: str, start: int, end: int, headings: list[str]) -> list[str]:
    """The scope named in the mention's clause: its topic, i.e. the first
    scope word before the mention (else the first after it). A topic of
    several coordinated nouns names a scope each (システム時刻及びログの
    時刻は -> system, logs; ログに記録される時刻、及び画面に表示される時刻は
    -> logs, display)."""
    cs, ce = clause_at(s, start)
    for lo, hi in ((cs, start), (end, ce), (0, start), (end, len(s))):
        hits = sorted((m.start(), scope) for scope, rx in _SCOPES for m in rx.finditer(s, lo, hi))
        if not hits:
            continue
        if hi != start:
            return [hits[0][1]]
        out: list[str] = []
        bounds = [lo] + [m.end() for m in _CONJUNCT.finditer(s, lo, hi)] + [hi]
        for a, b in zip(bounds, bounds[1:]):
            first = next((scope for pos, scope in hits if a <= pos < b), None)
            if first and first not in out:
                out.append(first)
        return out
    if any(re.search(r"時刻|クロック|時計|同期", h) for h in headings):
        return ["system"]
    return []


_CLOCK_CONTEXT = re.compile(rf"時刻|タイムスタンプ|{LOG_WORD}|時計|タイムゾーン|同期|記録|表示|管理|標準時|日時|証跡"
                            r"|(?i:timestamp|(?<![a-z])logs?(?![a-z]))")
# what joins two nouns of one topic (と, but not として / となる)
_CONJUNCT = re.compile(r"及び|および|並びに|ならびに|、|・|と(?!して|なる|なり|なって|同期|共に|とも)")
# 操作時刻(UTC): a time field labelled with its zone (a log table's column)
_FIELD = re.compile(r"(?:時刻|日時|タイムスタンプ|(?i:timestamp|time))\s*[(（\[]\s*$")
_LOG_WORD = re.compile(LOG_WORD + r"|証跡|履歴|(?i:(?<![a-z])logs?(?![a-z]))")
# 日本時間に修正されることはありません: a negated statement names no clock
_NOT_SO = re.compile(r"[^。、]{0,14}?(?:ことはありません|ことはない|ことはございません|されません|しません)")
_MOMENT_AFTER = re.compile(r"\s*(?:\d{1,4}[/-]\d{1,2}(?:[/-]\d{1,2})?\s*)?\d{1,2}:\d{2}")
# ただし、一部の画面では UTC が表示されることがあります: an exception, not the clock
_PARTIAL = re.compile(r"一部(?:の)?[^。]{0,30}?(?:ことが|場合が)(?:あります|ある)")
# 毎日23:00(日本時間): the zone of a schedule, not of a clock
_CLOCK_BEFORE = re.compile(r"(?:\d{1,2}:\d{2}|\d{1,2}\s*時(?!刻|間)|午前|午後|深夜)\s*[(（]?\s*$")


@register("timezones", "log_timezones", dedupe_key)
def extract(ctx: SectionContext) -> list[dict]:
    rows = []
    # the section-wide synchronisation regexes run only for a section that gives a row (few do)
    sync = functools.cache(lambda: _sync_source(ctx.text[ctx.section.start:ctx.section.end]))
    for k, sent in ctx.candidates():
        s = sent.text
        mentions = _mentions(s)
        if not mentions or _SUPPORT.search(s) or _PARTIAL.search(s):
            continue
        for start, end, label, iana, off in mentions:
            if _NOT_SO.match(s, end) or _MOMENT_AFTER.match(s, end):
                continue          # 日本時間に修正されることはありません / 日本時間 8/1 18:00に…と表示: no clock policy
            if not _CLOCK_CONTEXT.search(s[:start] + " " * (end - start) + s[end:]) or _CLOCK_BEFORE.search(s, 0, start):
                continue          # 日本時間の深夜に実施, 23:00(日本時間): a schedule's zone, not a clock's
            scopes = _scopes(s, start, end, ctx.headings)
            if _FIELD.search(s, max(0, start - 12), start):
                near = [s] + ([ctx.sentences[k - 1].text] if k else []) + ctx.headings
                scopes = ["logs" if any(_LOG_WORD.search(t) for t in near) else "system"]
            for scope in scopes:
                rows.append(dict(ctx.base(sent), scope=scope, tz_label=label, iana_tz=iana, utc_offset=off,
                                 sync_source=sync()))
    return rows


def _sync_source(section_text: str) -> str | None:
    """What the section says the clocks are synchronised with."""
    return "NTP" if _NTP.search(section_text) else ("cloud_provider" if _PROVIDER.search(section_text) else None)
