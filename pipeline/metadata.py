"""Document metadata: title, publisher, version (as written) and issue date.

Read from the cover -- the lines before the first heading, table of contents
or revision history -- and the revision history. Whitepaper covers put each
field on a line of its own; web pages put navigation, breadcrumbs and a
loading message before the page's own heading. So:

* the title is the first line that is a heading of the page: not navigation,
  breadcrumbs, a table row, a bare number or a URL, and not a line whose words
  appear nowhere in the text when another one's do; a heading repeated on the
  next line (the breadcrumbs' last item) wins; a second line carrying a
  document-type word (``…ホワイトペーパー``, ``…への取り組み``) continues it;
* the publisher is an organisation on a cover line, else the company the text
  calls 当社 / 弊社 (``X株式会社(以下「当社」)``), else a copyright line, cut
  where the name ends;
* ``published`` is a stated date -- a date on a line of its own, after a
  label (改訂日, 最終更新, 記入日 ...), on a cover line with the version, or in
  the revision history -- never a date inside a sentence or a range of dates.
  A PDF's CreationDate is the file's date, not the document's.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .segment import Layout

_ERA = {"令和": 2018, "平成": 1988, "昭和": 1925}
_DATE_RES = (
    re.compile(r"(?P<era>令和|平成|昭和)\s*(?P<y>\d{1,2}|元)\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"),
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"),
    re.compile(r"(?<![\d.])(?P<y>(?:19|20)\d{2})\s*[/.\-]\s*(?P<m>\d{1,2})\s*[/.\-]\s*(?P<d>\d{1,2})(?![\d.])"),
)
_VERSION_RES = (
    re.compile(r"第\s*\d+(?:\.\d+)*\s*版"),
    re.compile(r"(?:Ver(?:sion)?\.?|バージョン|Rev(?:ision)?\.?|版数)\s*:?\s*\d+(?:\.\d+)*", re.I),
    re.compile(r"(?<![\d.])\d+\.\d+\s*版"),
)
_ORG_WORDS = (r"株式会社|有限会社|合同会社|合資会社|一般社団法人|一般財団法人|公益社団法人|公益財団法人|"
              r"独立行政法人|国立研究開発法人|地方独立行政法人|学校法人|特定非営利活動法人|NPO法人|協同組合")
_ORG = re.compile(r"(" + _ORG_WORDS + r"|\b(?:Inc|Corp|Corporation|Co\.,?\s*Ltd|Ltd|LLC|K\.K)\b\.?)")
_JAPANESE_ORG = re.compile(r"(株式会社|有限会社|合同会社|合資会社|法人|協同組合)")
_COPYRIGHT = re.compile(r"(?:©|\(c\)|copyright)\s*(?:\d{4}(?:\s*-\s*\d{4})?)?\s*(?P<org>[^.。]+?)\s*(?:all rights reserved|\.|$)", re.I)
# The company a text calls 当社: X株式会社(以下「当社」), 株式会社X(以降、「弊社」と称す)
_NAME = r"[^\s()、。「」『』はがをにでと:]"
_SELF_DEFINED = re.compile(
    r"(?P<org>(?:" + _ORG_WORDS + r")\s?" + _NAME + r"{1,30}?|" + _NAME + r"{1,30}?(?:\s" + _NAME + r"{1,20})?"
    r"\s?(?:" + _ORG_WORDS + r"))\s*\(\s*(?:以下|以降)\s*[、,]?\s*[「『\"]?\s*(?:当社|弊社)")
# (提供:株式会社X) / X株式会社は、…サービスを提供する: the provider named in the text
_ORG_NAME = r"(?P<org>(?:" + _ORG_WORDS + r")\s?" + _NAME + r"{1,30}?|" + _NAME + r"{1,30}?(?:" + _ORG_WORDS + r"))"
_PROVIDED_BY = re.compile(r"[(（]\s*(?:提供|運営|発行)(?:元|者)?\s*[:：]\s*" + _ORG_NAME + r"\s*[)）]")
_PROVIDER_TOPIC = re.compile(r"(?:^|[\s。「」])" + _ORG_NAME + r"\s*(?:は|では)、?[^。]{0,60}?(?:を|の)提供")
_FIELD_LABEL = re.compile(r"^(?:発行|作成|提供|会社名|社名|事業者名?|提供者|発行者|提供元|運営会社|記入者)(?:元|者)?\s*[:：]?\s*")
_DATE_LABEL = re.compile(r"(?:改訂|改定|更新|最終更新|公開|発行|作成|制定|施行|記入|掲載|初版)(?:日|日時)?\s*[:：]?|"
                         r"(?i:last\s+updated|updated|published)\s*:?")
_DOC_TYPE_LABEL = re.compile(r"^(white\s*paper|whitepaper|ホワイトペーパー|セキュリティホワイトペーパー|資料|別紙|"
                             r"confidential|社外秘|公開|sla|slo|faq|q\s*&\s*a)$", re.I)
# Words that end or continue a document's title on its second line
_DOC_TYPE_WORD = re.compile(r"ホワイトペーパー|white\s*paper|whitepaper|取り組み|取組み?|対策|対応状況|チェック(?:シート|リスト)|"
                            r"仕様書|規定書?|合意書|説明書|ガイド|ポリシー|について", re.I)
_AUDIENCE = re.compile(r"(向け|各位|御中|様へ)$")
_SUBTITLE = re.compile(r"^[―—–\-~〜]+\s*\S.*[―—–\-~〜]+$")        # ― ISO/IEC 27017 に基づく取り組み ―
_TITLE_END = re.compile(r"(ホワイトペーパー|white\s*paper)\s*(\([^()]*\))?$", re.I)   # a subtitle may follow
_NOT_TITLE = re.compile(r"^(?:url|https?:|www\.|e-?mail|tel|fax)|@|\.(?:png|jpe?g|gif|svg)\)?$|^[\d\s.,:/()-]+$|^\||\|$",
                        re.I)
# What a web page puts before its own heading
_NAVIGATION = re.compile(
    r"^(?:home|top|ホーム|トップ|トップページ|contact|お問い?合わ?せ|メニュー|menu|サイトマップ|検索|search|ログイン|login|"
    r"english|日本語|資料請求|loading\.*|読み込み中\.*|ページを印刷|印刷|シェア|share|更新|users?|ヘルプ|help|"
    r"ヘルプセンター|サポート|support|よくあるご質問|faq|お知らせ|news|ニュース|ブログ|blog|スタートガイド|"
    r"ガイド|マニュアル|リファレンス|ドキュメント|docs?)$", re.I)
_BREADCRUMB = re.compile(r"^(?:[-・•*]\s|\d{1,2}\.\s+\S{1,12}$)|\s[>›»]\s|^[>›»]|^(?:home|top|ホーム|トップ)\s", re.I)
_LOGO = re.compile(r"^[A-Za-z0-9&.\-]{2,20}$")
# Not a page's own heading: a URL slug (securitywhitepaper), a logo's alt text, a label that
# ends in a colon (ビュー:), a formula (月間総稼働時間=…), a generic section name, a sentence cut at a comma
_SLUG = re.compile(r"^[a-z0-9\-_]{8,}$")
_ALT_TEXT = re.compile(r"(?:\s|^)(?:logo|ロゴ|画像|image)$", re.I)
_FIELD_END = re.compile(r"[:：]$")
_FORMULA = re.compile(r"[=＝×÷]")
_GENERIC_SECTION = re.compile(r"^(?:はじめに|概要|目次|詳細|本文|序文|前書き|まえがき|introduction|overview|contents)$", re.I)
_FRAGMENT_END = re.compile(r"[、,]$|(?:為|ため)に$|[がを]$")
_NOTICE = re.compile(r"^[【\[]?\s*(?:お知らせ|重要|ご案内|ご注意|注意|告知|news|notice)\s*[】\]]?\s*[:：]?|^※", re.I)
# FAQ 監査ログをエクスポートするには: the help centre's label before the question
_LABEL_PREFIX = re.compile(r"^(?:FAQ|Q\s*&\s*A|よくあるご質問|よくある質問|ヘルプ)\s+(?=\S)", re.I)
_QUESTION = re.compile(r"(?:ください|ますか|ですか|でしょうか|たい)[。?]?$|\?$")
_PROSE_END = re.compile(r"[。]$")
_CJK_ASCII = re.compile(r"^[\x00-\x7f]+$")
_CONTENT_RUN = re.compile(r"[\u4e00-\u9fff\u30a0-\u30ffA-Za-z0-9]{3,}")
_MAX_TITLE = 60
_MIN_TITLE = 3
_TITLE_WITHIN = 12            # a page's own heading is near its top: among its first lines


@dataclass(frozen=True)
class Metadata:
    title: str | None
    publisher: str | None
    version: str | None
    published: dt.date | None


def parse_date(text: str) -> dt.date | None:
    for rx in _DATE_RES:
        m = rx.search(text)
        if not m:
            continue
        y = m.group("y")
        year = (1 if y == "元" else int(y)) + _ERA.get(m.groupdict().get("era") or "", 0)
        try:
            return dt.date(year, int(m.group("m")), int(m.group("d")))
        except ValueError:
            continue
    return None


def _date_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for rx in _DATE_RES:
        for m in rx.finditer(text):
            if not any(a < m.end() and m.start() < b for a, b in spans) and parse_date(m.group(0)):
                spans.append(m.span())
    return sorted(spans)


def find_version(text: str) -> str | None:
    for rx in _VERSION_RES:
        m = rx.search(text)
        if m:
            return m.group(0).strip()
    return None


def _front_lines(layout: Layout) -> list[str]:
    """Lines of the cover: everything before the first TOC line, revision
    history or heading, capped to a screenful; a table row gives its cells."""
    first_section = next((s.start for s in layout.sections if s.heading is not None), None)
    out: list[str] = []
    for k, (start, _, text) in enumerate(layout.lines):
        if k in layout.toc_lines or k in layout.revision_lines:
            break
        if first_section is not None and start >= first_section:
            break
        out.extend(_cells(text.strip()))
        if len(out) >= 40:
            break
    return out


def _cells(line: str) -> list[str]:
    """A line, or the meaningful cells of a spreadsheet row (``2 | タイトル | 記入日: … |``)."""
    line = re.sub(r"\s*(?:¶|(?<=[^\x00-\x7f])#)$", "", line)
    if line.count("|") < 2:
        return [line] if line else []
    cells = [c.strip() for c in line.split("|")]
    cells = [c for c in cells if c and not re.fullmatch(r"[-:\s]+|\d{1,4}|[A-Z]{1,2}|No\.?", c)]
    return cells if len(cells) <= 2 else [line]       # a table's row (not a sheet's title row)


def _reduced(line: str) -> str:
    """A cover line without its date, version, organisation and labels
    (``Accel-Mart サービス仕様書 第23版 2022-08-17`` -> ``Accel-Mart サービス仕様書``)."""
    for rx in (*_DATE_RES, *_VERSION_RES):
        line = rx.sub(" ", line)
    m = _ORG.search(line)
    if m and m.group(0) in _ORG_WORDS.split("|"):
        # 株式会社 X after a title: the title is before it; X株式会社: the line is the name
        line = line[:m.start()] if line[m.end():].strip(" ()") else ""
    line = re.sub(r"\(\s*\)|(?:[(（]\s*)$", " ", line)
    return re.sub(r"\s{2,}", " ", line).strip(" ()-/")


def _is_meta_line(line: str) -> bool:
    return bool(parse_date(line) or find_version(line) or _ORG.search(line))


def _not_heading(line: str) -> bool:
    return bool(_SLUG.match(line) or _ALT_TEXT.search(line) or _FIELD_END.search(line) or _FORMULA.search(line)
                or _GENERIC_SECTION.match(line))


def _is_navigation(line: str) -> bool:
    return bool(_NAVIGATION.match(line) or _BREADCRUMB.search(line))


def _title_candidates(front: list[str]) -> list[tuple[int, str, bool]]:
    """(position, text, reduced) of the front lines that may be a title;
    *reduced* marks a cover line cut down to its title part. A line right
    before navigation (a logo, a site name) is part of the site's header."""
    out: list[tuple[int, str, bool]] = []
    body_seen = False
    for k, line in enumerate(front[:_TITLE_WITHIN]):
        reduced = False
        if _FRAGMENT_END.search(line) or (_PROSE_END.search(line) and not (k == 0 and _QUESTION.search(line))):
            # body text above any heading: the excerpt began below the page's title (a notice is a banner)
            body_seen = body_seen or not (out or _NOTICE.match(line))
            continue
        if _NOT_TITLE.search(line) or _is_navigation(line):
            body_seen = False                       # a banner's link ends it: the page's own header follows
            continue
        if body_seen or _AUDIENCE.search(line) or _not_heading(line):
            continue
        line = _LABEL_PREFIX.sub("", line)
        if _LOGO.match(line) and any(_NAVIGATION.match(f) for f in front[k + 1:k + 3]):
            continue                                   # a site's name above its navigation
        if _is_meta_line(line):
            rest = _reduced(line)
            if len(rest) < _MIN_TITLE + 1 or _ORG.search(rest) or _FIELD_LABEL.match(line) \
                    or len(_DATE_LABEL.sub("", rest).strip(" :：()（）")) < _MIN_TITLE:
                continue
            line, reduced = rest, True
        if len(line) > _MAX_TITLE or len(line) < _MIN_TITLE:
            continue
        if out and _CJK_ASCII.match(line) and not _CJK_ASCII.match(out[-1][1]) and out[-1][0] == k - 1:
            continue                                   # an English rendering of the line before
        out.append((k, line, reduced))
    return out


def _grams(text: str) -> set[str]:
    # the 3-grams inside each run of content characters
    return {run[i:i + 3] for run in _CONTENT_RUN.findall(text.lower()) for i in range(len(run) - 2)}


def _title(front: list[str], rest_text: str) -> str | None:
    cands = _title_candidates(front)
    for k, (pos, t, _) in enumerate(cands):           # the breadcrumbs' last item repeated as the heading
        around = [_bare(f) for f in front[max(0, pos - 1):pos]] + front[pos + 1:pos + 2]
        if len(t) > _MIN_TITLE and t in around:
            return t
    # a document-type label above the title (ホワイトペーパー / SLA) is the title only when nothing else is
    label = cands[0] if cands and _DOC_TYPE_LABEL.match(cands[0][1].replace(" ", "")) else None
    if label:
        if len(cands) == 1 or cands[1][0] > label[0] + 2:
            return label[1]                            # nothing follows on the cover: the label is the title
        cands = cands[1:]
    # a line none of whose words the text uses again is navigation (a link to another page);
    # the first candidate that is none wins (the text's 3-grams are gathered only until then)
    named = next((c for c in cands if _grams(c[1]) & _grams(rest_text[:6000].replace(c[1], " ", 1))), None)
    pick = named or (cands[0] if cands else None)
    if pick is None:
        return None
    # a title wrapped over lines: join through the last line, within four, that names the document's type
    parts = [pick[1]]
    if not pick[2] and not _TITLE_END.search(pick[1]):
        run = [pick]
        for c in cands[cands.index(pick) + 1:]:
            if c[0] != run[-1][0] + 1 or c[2] or _SUBTITLE.match(c[1]) or len(run) >= 4:
                break
            run.append(c)
            if _TITLE_END.search(c[1]):
                break
        last = max((i for i, c in enumerate(run) if i and _DOC_TYPE_WORD.search(c[1])), default=0)
        parts = [c[1] for c in run[:last + 1]]
    return _join_lines(parts)


def _bare(line: str) -> str:
    """A breadcrumb item without its bullet or separator; of a whole trail
    (ホーム > セキュリティについて > X), its last item."""
    return re.split(r"\s*[>›»]\s*", re.sub(r"^(?:[-・•*→>›»]\s*)+", "", line).strip())[-1].strip()


def _repeated_in_line(text: str) -> str | None:
    """A page heading scraped twice in a row into one line: ``…トップ X X 本文``."""
    m = re.search(r"(?:^|\s)(\S[^\s。]{5,58}?)\s+\1(?=\s|$)", text[:600])
    return m.group(1) if m else None


def extract_metadata(layout: Layout, pdf_info: dict | None = None) -> Metadata:
    front = _front_lines(layout)
    all_text = "\n".join(t for _, _, t in layout.lines)
    title = (_title(front, all_text) or _repeated_in_line(all_text[:600])
             or (pdf_info or {}).get("title") or None)
    return Metadata(title, _publisher(front, layout, all_text), _version(front, layout), _published(front, layout))


def _publisher(front: list[str], layout: Layout, all_text: str) -> str | None:
    orgs = [line for line in front if _ORG.search(line) and len(line) <= _MAX_TITLE and not _PROSE_END.search(line)]
    publisher = next((o for o in orgs if _JAPANESE_ORG.search(o)), orgs[0] if orgs else None)
    if publisher is None:
        for rx in (_SELF_DEFINED, _PROVIDED_BY, _PROVIDER_TOPIC):
            m = rx.search(all_text[:5000])
            if m:
                return m.group("org").strip()
    if publisher is None:
        for _, _, line in layout.lines:
            m = _COPYRIGHT.search(line)
            if m and m.group("org").strip():
                publisher = m.group("org").strip()
                break
    return _clean_publisher(publisher) if publisher else None


def _revision_rows(layout: Layout) -> list[tuple[dt.date, str | None]]:
    rows = [(parse_date(layout.lines[k][2]), find_version(layout.lines[k][2])) for k in sorted(layout.revision_lines)]
    return [(d, v) for d, v in rows if d]


def _version(front: list[str], layout: Layout) -> str | None:
    version = next((v for v in map(find_version, front) if v), None)
    rows = _revision_rows(layout)
    if version is None and rows:
        version = max(rows, key=lambda r: r[0])[1]
    return version


def _stated_date(line: str) -> dt.date | None:
    """The date a line states as the document's: alone on its line, after a
    label, or beside the version or title on a cover line; not one of a
    range (2024年10月22日~10月25日) or a date inside a sentence."""
    spans = _date_spans(line)
    if len(spans) != 1 or _PROSE_END.search(line):
        return None
    a, b = spans[0]
    rest = (line[:a] + " " + line[b:])
    if _DATE_LABEL.search(rest) or find_version(rest):
        return parse_date(line[a:b])
    rest = re.sub(r"[(（][月火水木金土日][)）]|[\s()（）:：,、.]", "", rest)
    return parse_date(line[a:b]) if len(rest) <= 6 or _ORG.search(rest) else None


def _published(front: list[str], layout: Layout) -> dt.date | None:
    dates = [d for d in map(_stated_date, front) if d]
    dates += [d for d, _ in _revision_rows(layout)]
    return max(dates) if dates else None


_WIDE = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]")


def _join_lines(parts: list[str]) -> str:
    """Join title lines: no space between two Japanese characters, one
    between anything else."""
    out = ""
    for p in parts:
        if out and not (_WIDE.match(out[-1]) and _WIDE.match(p[0])):
            out += " "
        out += p
    return out


def _clean_publisher(line: str) -> str:
    line = _FIELD_LABEL.sub("", line)
    # Drop a date or version written on the same line as the organisation.
    for rx in (*_DATE_RES, *_VERSION_RES):
        line = rx.sub("", line)
    line = re.sub(r"\s{2,}", " ", line).strip(" ()")
    m = re.search(_ORG_WORDS, line)
    if m and line[m.end():].strip() and m.start() and line[m.start() - 1] == " ":
        line = line[m.start():]                     # a title before 株式会社 X on one cover line
    m = re.search(r"(?:" + _ORG_WORDS + r")(?=\s+\S*(?:部|室|課|グループ|センター|本部|事業部)$)", line)
    if m:
        line = line[:m.end()]                       # X株式会社 セキュリティ推進室: the company, not its department
    return line
