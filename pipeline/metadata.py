"""Document metadata from the cover and the revision history: title,
publisher, version (as written) and issue date."""
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
_ORG = re.compile(
    r"(株式会社|有限会社|合同会社|合資会社|一般社団法人|一般財団法人|公益社団法人|公益財団法人|"
    r"独立行政法人|国立研究開発法人|地方独立行政法人|学校法人|特定非営利活動法人|NPO法人|協同組合|"
    r"\b(?:Inc|Corp|Corporation|Co\.,?\s*Ltd|Ltd|LLC|K\.K)\b\.?)")
_JAPANESE_ORG = re.compile(r"(株式会社|有限会社|合同会社|合資会社|法人|協同組合)")
_COPYRIGHT = re.compile(r"(?:©|\(c\)|copyright)\s*(?:\d{4}(?:\s*-\s*\d{4})?)?\s*(?P<org>[^.。]+?)\s*(?:all rights reserved|\.|$)", re.I)
_DOC_TYPE_LABEL = re.compile(r"^(white\s*paper|whitepaper|ホワイトペーパー|セキュリティホワイトペーパー|資料|別紙|confidential|社外秘|公開)$", re.I)
_AUDIENCE = re.compile(r"(向け|各位|御中|様へ)$")
_SUBTITLE = re.compile(r"^[―—–\-~〜]+\s*\S.*[―—–\-~〜]+$")        # ― ISO/IEC 27017 に基づく取り組み ―
_TITLE_END = re.compile(r"(ホワイトペーパー|white\s*paper)\s*(\([^()]*\))?$", re.I)   # a subtitle may follow
_NOT_TITLE = re.compile(r"[。]$|^(url|https?:|e-?mail|tel|fax)", re.I)


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


def all_dates(text: str) -> list[dt.date]:
    out = []
    for rx in _DATE_RES:
        for m in rx.finditer(text):
            d = parse_date(m.group(0))
            if d:
                out.append(d)
    return out


def find_version(text: str) -> str | None:
    for rx in _VERSION_RES:
        m = rx.search(text)
        if m:
            return m.group(0).strip()
    return None


def _front_lines(layout: Layout) -> list[str]:
    """Lines of the cover: everything before the first TOC line, revision
    history or heading, capped to a screenful."""
    first_section = next((s.start for s in layout.sections if s.heading is not None), None)
    out = []
    for k, (start, _, text) in enumerate(layout.lines):
        if k in layout.toc_lines or k in layout.revision_lines:
            break
        if first_section is not None and start >= first_section:
            break
        if text.strip():
            out.append(text.strip())
        if len(out) >= 40:
            break
    return out


def _is_meta_line(line: str) -> bool:
    return bool(parse_date(line) or find_version(line) or _ORG.search(line)) or len(line) > 60


def extract_metadata(layout: Layout, pdf_info: dict | None = None) -> Metadata:
    front = _front_lines(layout)
    title_parts: list[str] = []
    for line in front:
        if _is_meta_line(line) or _NOT_TITLE.search(line):
            if title_parts:
                break
            continue
        if _AUDIENCE.search(line) or (not title_parts and _DOC_TYPE_LABEL.match(line.replace(" ", ""))):
            continue
        if _SUBTITLE.match(line):
            if title_parts:
                break
            continue
        title_parts.append(line)
        if len(title_parts) >= 4 or _TITLE_END.search(line):
            break
    title = _join_lines(title_parts) or (pdf_info or {}).get("title") or None

    orgs = [line for line in front if _ORG.search(line) and len(line) <= 60]
    publisher = next((o for o in orgs if _JAPANESE_ORG.search(o)), orgs[0] if orgs else None)
    if publisher is None:
        for _, _, line in layout.lines:
            m = _COPYRIGHT.search(line)
            if m and m.group("org").strip():
                publisher = m.group("org").strip()
                break
    if publisher:
        publisher = _clean_publisher(publisher)

    version = None
    for line in front:
        version = find_version(line)
        if version:
            break
    rev_text = "\n".join(layout.lines[k][2] for k in sorted(layout.revision_lines))
    rev_rows = [(parse_date(line), find_version(line)) for line in rev_text.split("\n")]
    rev_rows = [(d, v) for d, v in rev_rows if d]
    if version is None and rev_rows:
        version = max(rev_rows, key=lambda r: r[0])[1]
    dates = [d for d in (parse_date(line) for line in front) if d]
    dates += [d for d, _ in rev_rows]
    if not dates and pdf_info and pdf_info.get("creation_date"):
        try:
            dates.append(dt.date.fromisoformat(pdf_info["creation_date"][:10]))
        except ValueError:
            pass
    published = max(dates) if dates else None
    return Metadata(title, publisher, version, published)


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
    line = re.sub(r"^(発行|作成|提供)(元|者)?\s*[:：]?\s*", "", line)
    # Drop a date or version written on the same line as the organisation.
    for rx in (*_DATE_RES, *_VERSION_RES):
        line = rx.sub("", line)
    return re.sub(r"\s{2,}", " ", line).strip(" ()")
