"""Control ids as headings cite them: the patterns, and the resolver that
checks a cited id against the catalogue (correcting a plain mis-citation).

Spellings (after NFKC): ``A.12.3.1``, ``A12.3.1``, ``CLD.6.3.1``,
``CLD 6.3.1``, bare ``12.3.1``; in brackets of any kind, alone or in a
list (``【A.6.1.1, CLD.6.3.1】``), optionally after the name of the
standard or a label (``(JIS Q 27017 12.4.1)``, ``([ISO/IEC 27001:2013]
A.5.1.1, A.5.1.2)``, ``(管理策: A.12.4.1)``).
"""
from __future__ import annotations

import re

from ..catalog import Catalog, canonical_id, title_key

ID_TEXT = r"(?:(A|CLD)\s*\.?\s*)?(\d{1,2})\s*\.\s*(\d{1,2})\s*\.\s*(\d{1,2})"     # also A12.3.1, CLD 6.3.1
ID_RE = re.compile(ID_TEXT, re.I)
_ID_NOGROUP = ID_TEXT.replace("(", "(?:").replace("(?:?:", "(?:")
EXPLICIT_ID = r"(?:A|CLD)\s*\.\s*\d{1,2}\s*\.\s*\d{1,2}\s*\.\s*\d{1,2}"
EXPLICIT_ID_START = re.compile(r"(?:A|CLD)\s*\.?\s*\d", re.I)
# The standard may be named before the ids: (JIS Q 27017 12.4.1), 【ISO/IEC 27001:2013 A.9.2.1】
STANDARD_NAME = r"(?:JIS\s*Q|ISO\s*/\s*IEC|ISO)\s*270(?:01|02|17|18)(?:\s*:\s*\d{4})?\s*"   # JIS Q 27017:2016
# Words that label a list of ids: 管理策: A.12.4.1, 対応する管理策 A.12.3.1, 項番：12.4.4
LABEL_WORDS = (r"(?:対応する|関連する|該当する|関連|対応|該当|参照)?管理策(?:番号|項番)?|項番|規格項番|参照|"
               r"(?i:controls?)(?:\s*(?i:id|no\.?))?")
# What may stand before the ids inside brackets: the standard (bracketed or
# not, with 附属書A) and/or a label with its colon.
_BRACKET_LABEL = (r"(?:(?:\[\s*" + STANDARD_NAME + r"\]|" + STANDARD_NAME + r")\s*(?:附属書\s*A\s*)?)?"
                  r"(?:(?:" + LABEL_WORDS + r")\s*[:：]?\s*)?")
ID_LIST = _ID_NOGROUP + r"(?:\s*[,、/;・\s]\s*(?:" + _ID_NOGROUP + r"))*"
_BRACKETS = {"【": "】", "[": "]", "(": ")", "〔": "〕", "《": "》", "<": ">", "〈": "〉", "{": "}"}
BRACKET_RE = re.compile("|".join(
    re.escape(o) + r"\s*" + _BRACKET_LABEL + r"(" + ID_LIST + r")\s*" + re.escape(c)
    for o, c in _BRACKETS.items()), re.I)
_BRACKET_GAP = re.compile(r"[\s,、/;・]*")          # between two bracket groups: [A.12.4.1][A.12.4.3]
BRACKETS_ONLY = re.compile(r"(?:(?:" + BRACKET_RE.pattern + r")[\s,、/;・]*)+", re.I)
# A label, a colon and ids closing a line: ログの取得 管理策: A.12.4.1
LABELLED_IDS = re.compile(r"(?:^|(?<=\s)|(?<=[^\w\s]))(?:" + STANDARD_NAME + r")?(?:" + LABEL_WORDS + r")\s*[:：]\s*"
                          r"(?P<ids>" + ID_LIST + r")\s*\.?$", re.I)


def labelled_ids(text: str) -> re.Match | None:
    """LABELLED_IDS in *text*; only a line with a colon is searched (the
    label's colon is required, and the search tries the label at every
    position of every line)."""
    return LABELLED_IDS.search(text) if ":" in text or "：" in text else None


# Before a heading's leading id: the standard, 附属書, or a label (附属書A.12.4.1 ..., 管理策 A.12.4.1 ...)
CITE_PREFIX = re.compile(r"(?:" + STANDARD_NAME + r")?(?:附属書\s*)?(?:(?:" + LABEL_WORDS + r")\s*[:：]?\s*)?"
                         r"(?=(?:A|CLD)?\s*\.?\s*\d{1,2}\s*\.\s*\d)", re.I)
# A citation of the standard anywhere in a document: evidence that its
# bare x.y.z numbers may be the catalogue's.
CITES_STANDARD = re.compile(STANDARD_NAME.replace(r"(?:\s*:\s*\d{4})?\s*", "") + r"|附属書\s*A|管理策", re.I)
CELL_ID = re.compile(r"^(?:【\s*)?" + ID_TEXT + r"\.?(?:\s*】)?$", re.I)
# several explicit ids in one cell: A.9.2.1 / A.9.2.2
CELL_IDS = re.compile(r"(?:" + EXPLICIT_ID + r"\s*[/,、・;]?\s*){2,}", re.I)
ID_LIST_HEADING = re.compile(r"^(?P<ids>" + EXPLICIT_ID + r"(?:\s*[/,、・]\s*" + EXPLICIT_ID + r")+)\.?\s+"
                             r"(?P<title>[^\d\s.].*)$", re.I)
NUMBER_HEADING = re.compile(r"^" + ID_TEXT + r"\.?\s*(?P<title>[^\d\s.].*)$", re.I)

# A title that plainly names a control: the similarity (see catalog.title_similarity)
# at which a heading's title agrees with the catalogue's for its number ...
TITLE_AGREES = 0.45
# ... and the laxer one once the document has shown that it numbers its headings by control.
TITLE_AGREES_IN_CONTROL_NUMBERED = 0.2
CONTROL_CLAUSES = range(5, 19)        # Annex A clauses: a bare number outside them is no mis-citation
TWIN_TITLE_AGREES = 0.5               # A.12.4.5 cited for CLD.12.4.5 when the title is CLD.12.4.5's
MIN_EXACT_TITLE_KEY = 4               # a title this short cannot single out one control


def parse_ids(blob: str) -> list[tuple[str | None, str, str, str]]:
    return [m.groups() for m in ID_RE.finditer(blob)]


def cid_kind(prefix: str | None) -> str:
    """How a heading cites its number: explicit CLD, explicit A, or bare."""
    return "cld" if prefix and prefix.upper() == "CLD" else "a" if prefix else "bare"


def edge_brackets(body: str) -> tuple[int, int] | None:
    """(start, end) of the bracketed ids that end or begin a line: one group
    or several in a row (``ログの取得 [A.12.4.1][A.12.4.3]``)."""
    runs: list[list[int]] = []
    for m in BRACKET_RE.finditer(body):
        if runs and _BRACKET_GAP.fullmatch(body, runs[-1][1], m.start()):
            runs[-1][1] = m.end()
        else:
            runs.append([m.start(), m.end()])
    end = len(body.rstrip()) - 1
    for bs, be in runs:
        if be >= end or bs <= 1:
            return bs, be
    return None


class Resolver:
    """Validates cited ids against the catalogue, correcting mis-citations."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog

    def resolve(self, h, cited: list[tuple], source: str) -> None:
        for prefix, a, b, c in cited:
            cid = canonical_id(prefix, a, b, c)
            if cid in self.catalog:
                if cid not in h.control_ids:
                    h.control_ids.append(cid)
                continue
            best = self.correction(cid, h.title)
            if best is not None and best not in h.control_ids:
                h.control_ids.append(best)
                h.corrected.append((cid, best))
            elif best is None:
                h.unknown.append(cid)
        h.id_source = source if h.control_ids else None

    def correction(self, cid: str, title: str) -> str | None:
        """The control a mis-cited id means, when the heading's title says so
        plainly: the same number under the other prefix (A.12.4.5 for
        CLD.12.4.5) with a matching title, or a title that is exactly one
        control's title or alias. Otherwise None: the id stays unknown."""
        if not title:
            return None
        prefix, number = cid.split(".", 1)
        twin = f"{'CLD' if prefix == 'A' else 'A'}.{number}"
        if twin in self.catalog and self.catalog.title_matches(twin, title, TWIN_TITLE_AGREES):
            return twin
        key = title_key(title)
        if len(key) < MIN_EXACT_TITLE_KEY:
            return None
        exact = {c.control_id for c in self.catalog
                 if key in {title_key(n) for n in (c.title_ja, *c.aliases)}}
        return exact.pop() if len(exact) == 1 else None

    def title_span(self, cid: str, rest: str) -> int | None:
        """Length of the catalogue title of *cid* that opens *rest* (a
        statement-of-applicability row: ``情報のバックアップ 当社は…``), or None."""
        c = self.catalog.by_id.get(cid)
        if c is None:
            return None
        best = None
        for name in (c.title_ja, *c.aliases, c.title_en):
            want = title_key(name)
            if len(want) < 2:
                continue
            # walk the row until its key covers the title's key
            for k in range(1, min(len(rest), len(name) + 12) + 1):
                got = title_key(rest[:k])
                if len(got) < len(want):
                    continue
                while k < len(rest) and title_key(rest[:k + 1]) == got and not rest[k].isspace():
                    k += 1              # characters the key ignores (ー, punctuation) end the title too
                if got == want and (k == len(rest) or rest[k].isspace() or rest[k - 1] in ")]"):
                    best = max(best or 0, k)
                break
        return best
