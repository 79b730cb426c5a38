"""Shared vocabularies of the fact extractors: subjects, verbs, anchors, and
the clause and subject helpers built on them.

The vocabularies are word lists compiled by ``extractors.words``; a new
wording is one more word in its list (see docs/CONTRIBUTING.md). The time
target rules (``extractors/time_targets.py``) reuse these lists where they
speak of the same thing (delete verbs, backup and log words)."""
from __future__ import annotations

import bisect
import re
from functools import lru_cache

from extractors.words import alternation, named_alternation, words_re

# What a period is about, by subject (a name of pipeline.schema.SUBJECTS).
# Compounds are matched whole so that バックアップデータ is a backup and
# ログデータ a log, whatever follows; entries are patterns (see extractors.words).
BACKUP_WORDS = (
    r"(?:バックアップ|(?i:backup))\s*(?:媒体|領域)?(?:上|内)?(?:に(?:残る|残っている|残存する|含まれる|ある)|の)データ",
    r"バックアップ(?:データ|ファイル|媒体)?", r"(?i:backups?)(?![a-z])", r"ダンプ(?:データ|ファイル)?",
    r"(?i:dumps?)(?![a-z])", "スナップショット", "レプリカ", r"複製(?:した|された)?データ", "世代",
)
LOG_WORDS = (r"(?:[ァ-ヴー一-龥A-Za-z]*?)ログ(?:データ|情報|ファイル)?", "監査証跡", "操作履歴", "アクセス履歴", "通信履歴",
             "ログイン履歴")
CUSTOMER_DATA_WORDS = (
    r"(?:お客様|利用者様?|ユーザー?様?|顧客|カスタマ|入力|登録|個人|保存した|作成した|アップロード(?:された|した)?)?(?:の)?"
    r"(?:データ(?!ベース|センター|センタ)|情報(?=を|は|も|、|について)|コンテンツ|ファイル)",
)
SUBJECT_WORDS = (("backups", BACKUP_WORDS), ("logs", LOG_WORDS), ("customer_data", CUSTOMER_DATA_WORDS))
SUBJECT_RE = re.compile(named_alternation(SUBJECT_WORDS, raw=True))
# Words that hold ログ and are no log
NOT_LOG = words_re(("ログイン", "ログオン", "ログアウト", "カタログ", "ブログ", "プログラム", "アナログ", "ダイアログ"))
# ログ as a word of its own (not ログイン, ログオン, ログアウト)
LOG_WORD = r"ログ(?!イン|オン|アウト)"
# Words that name backups in a sentence about a schedule
BACKUP_JOB_WORDS = ("バックアップ", "スナップショット")

# Verbs: what is kept, what is deleted
KEEP_WORDS = ("保存", "保管", "保持")
RETAIN_VERBS = KEEP_WORDS + ("蓄積", "保有", "残し", "残す", "残され", "格納")
DELETE_WORDS = ("削除", "消去", "廃棄", "破棄")
DELETE_VERBS = DELETE_WORDS + ("抹消", "除去", "データ消去", "完全消去")
RETAIN_RE = words_re(RETAIN_VERBS)
DELETE_RE = words_re(DELETE_VERBS)
NEG_DELETE_RE = re.compile(rf"({alternation(DELETE_WORDS)})(いた|致)?(し|は)?(ません|ない|せず|しない|行いません|行っておりません|行っていません)")
_KEEP = alternation(KEEP_WORDS)
UNSPECIFIED_RE = re.compile(
    rf"一定(の)?期間|所定の期間|({_KEEP})期間を定め|定められた期間|定める期間|規定(の|された)期間|法令(等)?で定め(る|られた)期間")
INDEFINITE_RE = re.compile(
    r"(特に)?区切って(い|お)?(ない|ません|りません)|無期限|期限を設け(てい|ておりませ|ず|ない|ません)|期間の定めな|"
    r"特に(定め|設け)て(い|お)?(ない|ません|りません)|(期間|期限)は(特に)?(定め|設け)て(い|お)?(ない|ません|りません)|"
    rf"(?:永久|永続的|恒久的)に(?!\s*(?:{alternation(DELETE_WORDS)}|抹消))|"     # 永久に消去: erased for good, not kept
    rf"(?:{_KEEP})(?:期間)?に(?:は)?(?:特に)?期限(?:は|が)?(?:ござい|あり)ません|(?:{_KEEP})期限(?:は)?(?:なし|無し|ありません|ございません)")
NEG_RETAIN_RE = re.compile(rf"({_KEEP})(さ|し|いたし)?(れ)?(ません|ない|せず)")
INACTIVITY_RE = re.compile(r"一定(の)?期間[^、。]{0,12}?(操作|アクセス|ログイン|利用)[^、。]{0,4}(が|を|の)?(ない|しない|され(ない|なかった)|無い)")
ADVICE_RE = re.compile(r"ないよう|ください|お願い|ご注意|推奨")
# What a law prescribes is not what the provider does: 法人税法では…保存期間が七年と定められています
LEGAL_RE = re.compile(r"(?:法|法令|法律|条例|規則|ガイドライン)(?:で|では|により|によって|上)[^。]*定め(?:られて|て)(?:い|お)(?:ます|ります)\s*。?\s*$")
REFERENCE_RE = re.compile(r"同様|同じく|前述|上記と同じ|同期間|同じ期間")
# A plan, not a practice: 2025年4月より保存期間を2年に延長する予定です
FUTURE_RE = re.compile(r"予定(?:です|であり|しております|しています|となっております)|見込みです|検討しております|検討しています")
# Advance notice: ご解約の1か月前までにお申し出ください
IN_ADVANCE_RE = re.compile(r"\s*(?:前|以上前)(?:まで|に)")
# A list item or a key-value line (・保存期間:35日, 1. ログ): it takes its subject
# from its own words or from the list's lead sentence, not from a sibling item.
ITEM_RE = re.compile(r"^\s*(?:[・\-‐－−●○■□◆◇▪►▶＊*•◦]|\(?\d{1,2}[.)．）](?!\d)|[①-⑳])\s*")
KEY_VALUE_RE = re.compile(r"^\s*[^。、:：\t]{1,16}\s*[:：]\s*\S")
# A default setting is the period in force (初期値は3年間に設定されています).
DEFAULT_SETTING_RE = re.compile(r"(?:初期値|初期設定|デフォルト(?:値|設定)?|既定値?|標準設定)(?:で|では|は|として)\s*$")
# The neutral topics of a sentence that does not name what it keeps
NEUTRAL_TOPIC = re.compile(r"^(?:当社|弊社|本サービス|これら|それら|いずれ|保存期間|保管期間|保持期間|期間|取得した(?:もの|情報)"
                           r"|初期値|初期設定|デフォルト|既定値?|標準設定)")
# Subjects named together share the period: お客様データ及びバックアップデータを削除
_COORDINATOR = re.compile(r"\s*(?:及び|および|並びに|ならびに|と|、|・|や|,)\s*(?:その|これらの|当該)?\s*")


def coordinated_subjects(sentence: str, kind: str, found=None) -> list[str]:
    """The other subjects joined to a *kind* noun by 及び/と/、 (in order)."""
    found = found if found is not None else subjects(sentence)
    out: list[str] = []
    for (k1, s1, e1), (k2, s2, e2) in zip(found, found[1:]):
        if _COORDINATOR.fullmatch(sentence, e1, s2) and kind in (k1, k2):
            other = k2 if k1 == kind else k1
            if other != kind and other not in out:
                out.append(other)
    return out

# The events a period is counted from: name -> its wordings (patterns)
ANCHOR_WORDS = (
    ("契約終了", (r"(?:サービス|利用)?契約(?:期間)?の?(?:完了|終了|満了|解除)", r"サービス(?:の)?(?:利用)?(?:終了|停止)",
              r"利用(?:の)?終了")),
    ("解約日", (r"解約(?:日)?",)),
    ("退会", (r"退会(?:日)?",)),
    ("データ消去", (r"(?:各)?(?:データの?)?(?:消去|削除)(?:の?完了)?",)),
    ("取得", (r"(?:ログの?)?取得(?:日|時)?",)),
    ("作成", (r"作成(?:日|時)?",)),
    ("検知", ("検知", "検出")),
    ("確認", ("確認",)),
    ("発生", ("発生",)),
    ("受付", ("受付", "受領", "受理")),
    ("判明", ("判明", "認識")),
    ("発覚", ("発覚",)),
)
ANCHORS = tuple((words_re(words, raw=True), name) for name, words in ANCHOR_WORDS)
_ANCHOR_LINK = re.compile(r"^\s*(?:した|して|し|され|された|が|の)?\s*(?:日)?\s*(?:から|より|後|以降|の翌日から|翌日から|翌日|時点から|時点)")

# Clause boundaries: a comma after a conjunctive verb form.
_CLAUSE_CUT = re.compile(r"(?<=[しりてでずくがば])、|(?<=ます)、|(?<=ており)、|;")
_PAREN = re.compile(r"\([^()]*\)|「[^「」]*」")


@lru_cache(maxsize=4096)
def has(rx: re.Pattern, text: str) -> bool:
    """Memoised ``rx.search(text)``: extractors ask the same question about a
    sentence for every value in it."""
    return rx.search(text) is not None


@lru_cache(maxsize=512)
def strip_parens(s: str) -> str:
    """Blank out parenthesised asides (keeping offsets)."""
    return _PAREN.sub(lambda m: " " * len(m.group(0)), s)


@lru_cache(maxsize=512)
def clauses(sentence: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of the clauses of a sentence (offsets within it)."""
    out, s = [], 0
    for m in _CLAUSE_CUT.finditer(strip_parens(sentence)):
        out.append((s, m.end()))
        s = m.end()
    out.append((s, len(sentence)))
    return tuple(out)


def clause_at(sentence: str, pos: int) -> tuple[int, int]:
    cl = clauses(sentence)
    k = bisect.bisect_right([s for s, _ in cl], pos) - 1
    if 0 <= k < len(cl):
        return cl[k]
    return 0, len(sentence)


@lru_cache(maxsize=512)
def subjects(sentence: str) -> tuple[tuple[str, int, int], ...]:
    """(subject, start, end) of the subject nouns named in a sentence."""
    out = []
    for m in SUBJECT_RE.finditer(sentence):
        kind = m.lastgroup
        if kind == "logs" and NOT_LOG.search(sentence[m.start():m.end() + 2]):
            continue
        out.append((kind, m.start(), m.end()))
    return tuple(out)


_TOPIC = re.compile(r"\s*(?:は|も|については|に関しては|について|の(?:削除|消去|保存|保管)は)")


def topic_subjects(sentence: str, pos: int, found) -> list[tuple[str, int, int]]:
    """The subjects of *found* written as a topic (``Xは``) before *pos*."""
    return [f for f in found if f[2] <= pos and _TOPIC.match(sentence, f[2])]


def nearest_subject(sentence: str, pos: int, found=None) -> str | None:
    """The subject named closest to *pos*, preferring a topic (``Xは``)
    before it, then any noun before it (Japanese puts the topic before the
    predicate), then one after it."""
    found = found if found is not None else subjects(sentence)
    pool = topic_subjects(sentence, pos, found) or found
    best, dist = None, 10 ** 9
    for kind, s, e in pool:
        d = pos - e if e <= pos else (s - pos) * 2 + 5
        if d < dist:
            best, dist = kind, d
    return best


def anchor_before(sentence: str, start: int, end: int | None = None, window: int = 24) -> str | None:
    """The event a period is counted from, written just before the quantity
    at ``sentence[start:end]`` (``契約終了翌日から30日後``, ``検知から72時間以内``,
    ``契約完了 60 日後``)."""
    seg = sentence[max(0, start - window):start]
    after = sentence[end:end + 4] if end is not None else ""
    best = None
    for rx, name in ANCHORS:
        for m in rx.finditer(seg):
            tail = seg[m.end():]
            linked = _ANCHOR_LINK.match(tail) or (not tail.strip() and after.lstrip().startswith(("後", "経過後")))
            if linked and (best is None or m.end() > best[0]):
                best = (m.end(), name)
    return best[1] if best else None
